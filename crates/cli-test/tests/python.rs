//! Running programs to the end and keeping what they printed.

use cli_test::python::{run, together};

/// A run's output, status and command are kept; `ok` lets status 0
/// through and `together` gives both results.
#[test]
fn runs_and_keeps_what_a_program_printed() {
    let (first, second) = together(
        || run(".", "sh", &["-c", "echo out; echo err >&2"]),
        || run(".", "sh", &["-c", "exit 3"]),
    );
    let first = first.ok();
    assert_eq!(
        (first.stdout.as_str(), first.stderr.as_str()),
        ("out\n", "err\n")
    );
    assert_eq!(second.code, Some(3));
    assert!(second.command.starts_with("sh "), "{}", second.command);
}
