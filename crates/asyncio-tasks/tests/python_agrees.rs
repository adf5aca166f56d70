//! The Python program (`python/asyncio_tasks.py`) and the Rust port, run
//! with the same inputs: the same factorial and Fibonacci numbers, the
//! same steps in the same order in each task, the three tasks interleaved
//! in both; and the one difference the docs page lists, the binomial
//! coefficient, which the Python original computes with float division
//! (`184756.0`, and digits lost for larger inputs) and the port exactly.
//!
//! Needs `python3` on PATH; without one each test prints
//! "skipped: no python3" and passes (CI has one).

use cli_test::lines::messages;
use cli_test::python::{self, Programs};

/// The Python program, beside the crate's sources, and the Rust port.
const PROGRAMS: Programs = Programs {
    dir: env!("CARGO_MANIFEST_DIR"),
    python: "python/asyncio_tasks.py",
    rust: env!("CARGO_BIN_EXE_asyncio-tasks"),
};

/// Runs both at the same time, with the same arguments, and returns what
/// each printed.
fn run_both(args: &[&str]) -> (String, String) {
    let (python, rust) = PROGRAMS.both(args);
    (python.stdout, rust.stdout)
}

/// The value printed after `<call> = ` on the one line that starts so.
fn result<'a>(stdout: &'a str, call: &str) -> &'a str {
    let prefix = format!("{call} = ");
    let found: Vec<&str> = messages(stdout)
        .into_iter()
        .filter_map(|line| line.strip_prefix(prefix.as_str()))
        .collect();
    assert_eq!(found.len(), 1, "one result line for {call}:\n{stdout}");
    found[0]
}

/// The step lines, `Compute <function>(<i>)`, in the order printed, as
/// (function, i).
fn steps(stdout: &str) -> Vec<(String, u64)> {
    messages(stdout)
        .into_iter()
        .filter_map(|line| {
            let call = line.strip_prefix("Compute ")?;
            let (function, rest) = call.split_once('(')?;
            let i = rest.strip_suffix(')')?.parse().ok()?;
            Some((function.trim().to_owned(), i))
        })
        .collect()
}

/// The chapter's run (with 10 ms steps): factorial(10) = 3628800 and
/// fibonacci(10) = 55 from both; binomial_coefficient(20, 10) is the known
/// difference: Python prints the float 184756.0, Rust the integer 184756.
#[test]
fn python_and_rust_agree_on_the_results_but_the_float_binomial() {
    if !python::found() {
        return;
    }
    let (python, rust) = run_both(&["--delay", "0.01"]);
    for call in ["factorial(10)", "fibonacci(10)"] {
        assert_eq!(result(&python, call), result(&rust, call), "{call}");
    }
    assert_eq!(result(&rust, "factorial(10)"), "3628800");
    assert_eq!(result(&rust, "fibonacci(10)"), "55");
    assert_eq!(result(&python, "binomial_coefficient(20, 10)"), "184756.0");
    assert_eq!(result(&rust, "binomial_coefficient(20, 10)"), "184756");
}

/// Within each task, both print the same steps in the same order
/// (factorial 2..=10, fibonacci 0..10, binomial_coefficient 1..=10); and
/// the tasks interleave in both: all three print their first step before
/// any prints its second (they start together and each step waits).
#[test]
fn python_and_rust_agree_on_each_tasks_steps_and_interleave_the_tasks() {
    if !python::found() {
        return;
    }
    let (python, rust) = run_both(&["--delay", "0.01"]);
    let expected: [(&str, Vec<u64>); 3] = [
        ("factorial", (2..=10).collect()),
        ("fibonacci", (0..10).collect()),
        ("binomial_coefficient", (1..=10).collect()),
    ];
    for (who, stdout) in [("Python", &python), ("Rust", &rust)] {
        let steps = steps(stdout);
        for (function, numbers) in &expected {
            let mine: Vec<u64> = steps
                .iter()
                .filter(|(f, _)| f == function)
                .map(|&(_, i)| i)
                .collect();
            assert_eq!(&mine, numbers, "{who}: the steps of {function}");
        }
        // The position of each task's first and second step.
        let nth = |function: &str, n: usize| {
            steps
                .iter()
                .enumerate()
                .filter(|(_, (f, _))| f == function)
                .nth(n)
                .map(|(at, _)| at)
                .expect("every task has two steps")
        };
        let last_first = expected.iter().map(|(f, _)| nth(f, 0)).max();
        let first_second = expected.iter().map(|(f, _)| nth(f, 1)).min();
        assert!(
            last_first < first_second,
            "{who}: every task's first step before any second step:\n{stdout}"
        );
    }
}

/// Larger inputs: the big integers agree to the last digit (30! and the
/// 90th Fibonacci number); the float binomial of the Python original is
/// close to the exact C(64, 32) = 1832624140942590534 but is not it: a
/// float has lost the last digits, as the docs page says.
#[test]
fn python_and_rust_agree_on_big_integers_and_python_loses_the_binomials_digits() {
    if !python::found() {
        return;
    }
    let args = [
        "--delay",
        "0.001",
        "--factorial",
        "30",
        "--fibonacci",
        "90",
        "--binomial-n",
        "64",
        "--binomial-k",
        "32",
    ];
    let (python, rust) = run_both(&args);
    assert_eq!(
        result(&rust, "factorial(30)"),
        "265252859812191058636308480000000"
    );
    assert_eq!(
        result(&python, "factorial(30)"),
        result(&rust, "factorial(30)")
    );
    assert_eq!(result(&rust, "fibonacci(90)"), "2880067194370816120");
    assert_eq!(
        result(&python, "fibonacci(90)"),
        result(&rust, "fibonacci(90)")
    );

    let exact = result(&rust, "binomial_coefficient(64, 32)");
    assert_eq!(exact, "1832624140942590534");
    let exact: u128 = exact.parse().expect("an integer");
    let float = result(&python, "binomial_coefficient(64, 32)");
    let float: f64 = float
        .parse()
        .unwrap_or_else(|e| panic!("Python prints a float, not {float:?}: {e}"));
    let relative = (float - exact as f64).abs() / exact as f64;
    assert!(relative < 1e-12, "close: {float} against {exact}");
    assert_ne!(
        float as u128, exact,
        "the float is not the exact value: its last digits are lost"
    );
}
