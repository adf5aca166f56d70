//! `Interrupted` on a tiny shell program that stops on SIGINT as the
//! workspace's binaries do (a summary line, exit status 130), with its
//! ready line on stdout or on stderr.

use cli_test::{Interrupted, STOPPING};

/// A shell loop: prints `data` on stdout and `ready` where `$1` says, then
/// waits; on SIGINT, the policy's first line and a summary line on stderr,
/// and exit 130.
const PROGRAM: &str = r#"trap 'echo "interrupted: stopping (Ctrl-C again to stop at once)" >&2; echo "interrupted: stopped" >&2; exit 130' INT
echo data
if [ "$1" = stderr ]; then echo ready >&2; else echo ready; fi
while :; do sleep 0.05; done"#;

/// The ready line on stdout (`run`) or on stderr (`run_ready_on_stderr`):
/// either way each pipe's text lands in its own field.
#[test]
fn ctrl_c_stops_within_a_second_ready_on_either_pipe() {
    let on_stdout = Interrupted::run("sh", &["-c", PROGRAM, "sh", "stdout"], "ready");
    assert_eq!(on_stdout.stdout, "data\nready\n");
    assert_eq!(
        on_stdout.stderr,
        format!("{STOPPING}\ninterrupted: stopped\n")
    );

    let on_stderr =
        Interrupted::run_ready_on_stderr("sh", &["-c", PROGRAM, "sh", "stderr"], "ready");
    assert_eq!(on_stderr.stdout, "data\n");
    assert_eq!(
        on_stderr.stderr,
        format!("ready\n{STOPPING}\ninterrupted: stopped\n")
    );
}
