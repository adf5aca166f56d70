//! The Python program (`python/basic_coroutines.py`) and the Rust port,
//! run on the same numbers: they agree on the factorial, and differ only
//! where the docs page says they do, the "sum" (the Python original only
//! counts to N). Both overlap their two waits.
//!
//! Needs `python3` on PATH; without one each test prints
//! "skipped: no python3" and passes (CI has one).

use std::time::Duration;

use cli_test::python::{self, Programs};

/// The Python program, beside the crate's sources, and the Rust port.
const PROGRAMS: Programs = Programs {
    dir: env!("CARGO_MANIFEST_DIR"),
    python: "python/basic_coroutines.py",
    rust: env!("CARGO_BIN_EXE_basic-coroutines"),
};

/// What the first coroutine's future is completed with, before the value.
const FIRST: &str = "First coroutine (sum of N ints) result = ";
/// What the second coroutine's future is completed with, before the value.
const SECOND: &str = "Second coroutine (factorial) result = ";

/// The text after `prefix` on the one line that contains it, whatever the
/// line starts with (the Rust port labels its lines with the time and who
/// printed them; the Python program does not).
fn value_after<'a>(stdout: &'a str, prefix: &str) -> &'a str {
    let found: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.split_once(prefix).map(|(_, value)| value.trim()))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one line with {prefix:?} (each done-callback runs once):\n{stdout}"
    );
    found[0]
}

/// The factorial agrees to the last digit, big ones included (3000! has
/// 9131 digits, more than Python's default limit for printing an int); the
/// "sum" differs exactly as the docs page says: Python prints N (its loop
/// only counts), Rust the real sum N(N+1)/2.
#[test]
fn python_and_rust_agree_on_the_factorial_and_differ_only_in_the_sum() {
    if !python::found() {
        return;
    }
    for (num1, num2, digits) in [(5u64, 10u64, 7usize), (100, 100, 158), (7, 3000, 9131)] {
        let (python, rust) =
            PROGRAMS.both(&[&num1.to_string(), &num2.to_string(), "--delay", "0.05"]);

        let python_factorial = value_after(&python.stdout, SECOND);
        let rust_factorial = value_after(&rust.stdout, SECOND);
        assert_eq!(python_factorial, rust_factorial, "{num2}!");
        assert_eq!(rust_factorial.len(), digits, "{num2}! has {digits} digits");
        if num2 == 10 {
            assert_eq!(rust_factorial, "3628800");
        }

        // The known difference, the only one in what they compute.
        assert_eq!(
            value_after(&python.stdout, FIRST),
            num1.to_string(),
            "Python's quirk: the \"sum\" of {num1} is a count"
        );
        assert_eq!(
            value_after(&rust.stdout, FIRST),
            (num1 * (num1 + 1) / 2).to_string(),
            "Rust: 1 + ... + {num1}"
        );
    }
}

/// Runs the Python program inside an interpreter that times it, and returns
/// how long the program itself ran: the interpreter's start (and pyenv's
/// launcher, often slower than the program on a busy machine) is not
/// counted.
fn python_run_time(args: &[&str]) -> Duration {
    const TIMED: &str = "import runpy, sys, time\n\
        sys.argv = sys.argv[1:]\n\
        start = time.perf_counter()\n\
        runpy.run_path(sys.argv[0], run_name='__main__')\n\
        print('ran for', time.perf_counter() - start, file=sys.stderr)\n";
    let mut python_args = vec!["-W", "error", "-c", TIMED, PROGRAMS.python];
    python_args.extend(args);
    let stderr = python::run(PROGRAMS.dir, "python3", &python_args)
        .ok()
        .stderr;
    let seconds = stderr
        .lines()
        .find_map(|line| line.strip_prefix("ran for "))
        .and_then(|s| s.trim().parse::<f64>().ok())
        .unwrap_or_else(|| panic!("no run time on stderr: {stderr}"));
    Duration::from_secs_f64(seconds)
}

/// Both programs run their two waits at the same time: with waits of 1 s,
/// each run takes at least one wait and well under two (a margin of 0.9 s
/// for a busy machine; the Python program is timed from inside the
/// interpreter, the Rust binary from outside).
#[test]
fn python_and_rust_both_overlap_the_two_waits() {
    if !python::found() {
        return;
    }
    let delay = Duration::from_secs(1);
    let args = ["5", "10", "--delay", "1"];
    let (python, rust) = python::together(|| python_run_time(&args), || PROGRAMS.rust(&args).ok());
    value_after(&rust.stdout, FIRST);
    value_after(&rust.stdout, SECOND);
    for (who, elapsed) in [("Python", python), ("Rust", rust.elapsed)] {
        assert!(
            elapsed >= delay,
            "{who} took {elapsed:?}, less than one wait"
        );
        assert!(
            elapsed < 2 * delay - Duration::from_millis(100),
            "{who} took {elapsed:?}: the waits did not overlap"
        );
    }
}
