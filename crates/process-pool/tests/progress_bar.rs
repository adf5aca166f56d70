//! The progress bar appears when stdout is a terminal and never when it is
//! a pipe. The terminal is a pseudo-terminal made by util-linux `script`.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_process-pool");
const ARGS: &str = "--part pool --items 4 --iterations 30000000 --workers 2";

/// On a terminal: labelled lines plus a bar counting finished items.
#[test]
fn runs_with_a_bar_on_a_terminal() {
    let output = Command::new("script")
        .args(["-qec", &format!("{BIN} {ARGS}"), "/dev/null"])
        .output();
    let Ok(output) = output else {
        eprintln!("`script` (util-linux) is not installed: cannot make a terminal, not checked");
        return;
    };
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("process pool ["), "no bar in:\n{text}");
    assert!(text.contains("/4 done"), "no count in:\n{text}");
    assert!(text.contains("Item 4, result 120000000"), "{text}");
}

/// Through a pipe: plain lines only.
#[test]
fn runs_with_plain_lines_through_a_pipe() {
    let args: Vec<&str> = ARGS.split(' ').collect();
    let assert = cli_test::run(BIN, &args).success();
    let output = assert.get_output();
    let all = [output.stdout.clone(), output.stderr.clone()].concat();
    let text = String::from_utf8_lossy(&all);
    assert!(!text.contains("/4 done"), "a bar in:\n{text}");
    assert!(text.contains("Item 4, result 120000000"), "{text}");
}
