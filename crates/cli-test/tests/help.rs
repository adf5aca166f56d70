//! `help_names` on a binary that is sure to be there: this test's own
//! executable, whose `--help` is the test harness's usage text.

/// The harness's help names its own flags; a missing name fails the check.
#[test]
fn help_names_checks_each_name() {
    let this = std::env::current_exe().expect("a test knows its own executable");
    cli_test::help_names(&this, &["--include-ignored", "--list"]);
    let missing = std::panic::catch_unwind(|| cli_test::help_names(&this, &["--no-such-flag"]));
    assert!(
        missing.is_err(),
        "a name the help lacks must fail the check"
    );
}
