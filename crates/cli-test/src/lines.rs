//! Reading a run's printed lines back: the labelled line every chapter
//! prints (`common::clock::format_line`: `[   0.012s] who            |
//! message`), and the pooling chapters' `Item <i>, result <r>`.
//!
//! The Python programs print most lines without a label; [`messages`]
//! reads both kinds alike.

/// A labelled line as (who, message), both trimmed; `None` for a line
/// without the label.
pub fn labelled(line: &str) -> Option<(&str, &str)> {
    let (head, message) = line.split_once(" | ")?;
    let who = head.strip_prefix('[')?.split_once("] ")?.1.trim();
    Some((who, message.trim()))
}

/// Every labelled line of `stdout`, in order, as (who, message).
pub fn labelled_lines(stdout: &str) -> Vec<(&str, &str)> {
    stdout.lines().filter_map(labelled).collect()
}

/// How many lines `who` printed whose message contains `text`.
pub fn count(stdout: &str, who: &str, text: &str) -> usize {
    labelled_lines(stdout)
        .into_iter()
        .filter(|&(w, message)| w == who && message.contains(text))
        .count()
}

/// Each line's text, trimmed, without the label where it has one.
pub fn messages(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .map(|line| labelled(line).map_or(line, |(_, message)| message))
        .map(str::trim)
        .collect()
}

/// The `Item <i>, result <r>` pairs in `text`, in order, found anywhere
/// (a line may carry a label before them).
pub fn items(text: &str) -> Vec<(u64, u64)> {
    text.split("Item ")
        .skip(1)
        .filter_map(|rest| {
            let (item, rest) = rest.split_once(", result ")?;
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            Some((item.parse().ok()?, digits.parse().ok()?))
        })
        .collect()
}
