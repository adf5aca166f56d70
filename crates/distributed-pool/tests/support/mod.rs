//! What the tests share: whether a `nats-server` can be started here, and
//! reading the binary's labelled lines.
#![allow(dead_code, clippy::unwrap_used)]

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_distributed-pool");

/// Whether a `nats-server` (2.10 or newer) can be started here: a test
/// that needs one fails in CI without it (.ci/install-nats installs it)
/// and is skipped elsewhere ([`cli_test::needs`]).
pub fn have_nats() -> bool {
    let found = distributed_pool::server::available();
    cli_test::needs("nats-server", found.map(drop).map_err(|e| e.to_string()))
}

/// The labelled lines of `stdout`, as (who, message).
pub fn lines(stdout: &str) -> Vec<(String, String)> {
    cli_test::lines::labelled_lines(stdout)
        .into_iter()
        .map(|(who, message)| (who.to_owned(), message.to_owned()))
        .collect()
}

/// The `Item <i>, result <r>` lines, as (who, item, result, the rest).
pub fn results(stdout: &str) -> Vec<(String, u64, u64, String)> {
    lines(stdout)
        .into_iter()
        .filter_map(|(who, message)| {
            let rest = message.strip_prefix("Item ")?;
            let (item, rest) = rest.split_once(", result ")?;
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let after = rest[digits.len()..].to_owned();
            Some((who, item.parse().ok()?, digits.parse().ok()?, after))
        })
        .collect()
}

/// Runs the binary with `args` to the end: (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let output = std::process::Command::new(BIN).args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Asserts that items 1..=`items` each have exactly one result line, with
/// `item * iterations`.
pub fn each_item_once(stdout: &str, items: u64, iterations: u64) {
    each_item_once_but(stdout, items, iterations, None);
}

/// [`each_item_once`], for every item but `failing` (which has none).
pub fn each_item_once_but(stdout: &str, items: u64, iterations: u64, failing: Option<u64>) {
    let mut seen: Vec<(u64, u64)> = results(stdout).iter().map(|r| (r.1, r.2)).collect();
    seen.sort();
    let expected: Vec<(u64, u64)> = (1..=items)
        .filter(|i| Some(*i) != failing)
        .map(|i| (i, i * iterations))
        .collect();
    assert_eq!(seen, expected, "each item's result once:\n{stdout}");
}

/// Asserts that the server and the workers the run's first line names
/// are gone (killed and reaped: signal 0 finds no such process), and that
/// the server's folder was removed.
pub fn no_process_left(stdout: &str) {
    let first = lines(stdout)
        .into_iter()
        .find(|(_, message)| message.starts_with("nats-server (pid "))
        .unwrap()
        .1;
    let server = first["nats-server (pid ".len()..]
        .split(')')
        .next()
        .unwrap();
    let workers = first.split_once(" pids ").unwrap().1;
    for pid in workers.split(", ").chain([server]) {
        let pid = nix::unistd::Pid::from_raw(pid.parse().unwrap());
        assert!(
            nix::sys::signal::kill(pid, None).is_err(),
            "process {pid} outlived the run:\n{stdout}"
        );
    }
    let parent = lines(stdout)
        .into_iter()
        .find_map(|(_, message)| {
            Some(
                message
                    .split_once("(batch ")?
                    .1
                    .split('-')
                    .nth(1)?
                    .trim_end_matches(')')
                    .to_owned(),
            )
        })
        .unwrap();
    let prefix = format!("distributed-pool-{parent}-");
    let left: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
        .collect();
    assert!(
        left.is_empty(),
        "the server's folder outlived the run: {left:?}"
    );
}
