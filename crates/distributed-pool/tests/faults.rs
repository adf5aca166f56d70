//! The faults a network adds, each shown by the binary and checked here:
//! no task lost, each result counted once, no process left (the run
//! reaps what it started; its exit status says it ended cleanly). Each
//! run starts its own `nats-server` on a free loopback port, with a short
//! ack deadline so that redeliveries come within a second.
#![allow(clippy::unwrap_used)]

mod support;

use distributed_pool::{Client, LocalServer, Settings};
use support::{each_item_once_but, have_nats, lines, no_process_left, results, run};

/// Runs the all-in-one binary with the flags `args` (words; they name
/// `--items` and `--iterations`) if a `nats-server` is here, and checks
/// what every fault keeps: exit status 0, no process or folder left, and
/// one result line with `item * iterations` for each item but `failing`.
/// Its stdout.
fn run_with_faults(args: &str, failing: Option<u64>) -> Option<String> {
    if !have_nats() {
        return None;
    }
    let args: Vec<&str> = args.split(' ').collect();
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    no_process_left(&stdout);
    let flag = |name: &str| -> u64 {
        let at = args.iter().position(|arg| *arg == name).unwrap();
        args[at + 1].parse().unwrap()
    };
    let (items, iterations) = (flag("--items"), flag("--iterations"));
    each_item_once_but(&stdout, items, iterations, failing);
    Some(stdout)
}

/// The lines of `stdout` whose message contains `text`, as (who, message).
fn said(stdout: &str, text: &str) -> Vec<(String, String)> {
    lines(stdout)
        .into_iter()
        .filter(|(_, m)| m.contains(text))
        .collect()
}

/// A worker killed (SIGKILL) in the middle of item 3: the job was not
/// acknowledged, so the queue redelivers it after the deadline and
/// another worker finishes it; every item is done once.
#[test]
fn a_killed_workers_job_is_redelivered_and_done_once() {
    // Items long enough (tenths of a second) that the kill, 0.1 s into
    // item 3, comes before it is done.
    let args = "--workers 2 --items 4 --iterations 100000000 --kill-worker-on 3 --ack-wait 0.5";
    let Some(stdout) = run_with_faults(args, None) else {
        return;
    };
    let killed = said(&stdout, "(SIGKILL) ");
    assert_eq!(killed.len(), 1, "{stdout}");
    assert!(
        killed[0]
            .1
            .contains(" s into item 3: its job is not acknowledged"),
        "{stdout}"
    );
    // "killed pid N@host (SIGKILL) ..."
    let victim = killed[0].1.split(' ').take(3).collect::<Vec<_>>()[1..].join(" ");
    assert!(victim.starts_with("pid "), "{victim}");
    let (who, _, _, rest) = results(&stdout).into_iter().find(|r| r.1 == 3).unwrap();
    assert_ne!(who, victim, "item 3 done by the killed worker:\n{stdout}");
    assert_eq!(rest, " (delivery 2)", "{stdout}");
    assert!(stdout.contains("4 of 4 items done, 0 failed"), "{stdout}");
}

/// A worker that saves item 2's result and dies before acknowledging
/// it: the job comes back, the second run finds the result saved, and
/// the item counts once.
#[test]
fn a_job_that_ran_twice_counts_once() {
    let args = "--workers 2 --items 5 --iterations 100000 --exit-before-ack 2 --ack-wait 0.3";
    let Some(stdout) = run_with_faults(args, None) else {
        return;
    };
    assert_eq!(
        said(&stdout, "exits before acknowledging it").len(),
        1,
        "{stdout}"
    );
    assert_eq!(
        said(
            &stdout,
            "ran item 2 again (delivery 2) and found its result saved: counted once"
        )
        .len(),
        1,
        "{stdout}"
    );
    assert!(
        stdout.contains("the queue is empty: every job acknowledged"),
        "{stdout}"
    );
}

/// The server killed and restarted after three results: the stream is on
/// disk, the clients reconnect, and all eight items are done, once each.
#[test]
fn a_restarted_server_still_has_every_job() {
    let args =
        "--workers 2 --items 8 --iterations 10000000 --restart-server-after 3 --ack-wait 0.5";
    let Some(stdout) = run_with_faults(args, None) else {
        return;
    };
    assert_eq!(
        said(&stdout, "killed the server (SIGKILL) after 3 results").len(),
        1,
        "{stdout}"
    );
    assert!(stdout.contains("8 of 8 items done, 0 failed"), "{stdout}");
}

/// A worker whose code panics on item 2: that item's error is reported,
/// and the same (only) worker goes on with items 3 and 4.
#[test]
fn a_panicking_worker_reports_the_item_and_goes_on() {
    let args = "--workers 1 --items 4 --iterations 1000 --panic-on 2";
    let Some(stdout) = run_with_faults(args, Some(2)) else {
        return;
    };
    let failed = said(&stdout, "item 2: panicked on pid ");
    assert_eq!(failed.len(), 1, "{stdout}");
    assert!(
        failed[0]
            .1
            .ends_with("told to panic on item 2 (--panic-on)"),
        "{stdout}"
    );
    let done = results(&stdout);
    let workers: std::collections::BTreeSet<&String> = done.iter().map(|r| &r.0).collect();
    assert_eq!(workers.len(), 1, "one worker did them all:\n{stdout}");
    assert!(
        failed[0]
            .1
            .contains(workers.iter().next().unwrap().as_str()),
        "{stdout}"
    );
    assert!(stdout.contains("3 of 4 items done, 1 failed"), "{stdout}");
}

/// A message that is not a job: the worker sends it to the dead letters
/// and terminates it, so it is delivered once, never again; the items
/// are all done and the queue ends empty.
#[test]
fn a_malformed_message_goes_to_the_dead_letters_once() {
    let args = "--workers 2 --items 4 --iterations 1000 --malformed --ack-wait 0.3";
    let Some(stdout) = run_with_faults(args, None) else {
        return;
    };
    let dead = said(&stdout, "dead letter: message #1 was not a job");
    assert_eq!(dead.len(), 1, "{stdout}");
    assert!(
        dead[0].1.ends_with("delivered 1 time(s), not retried"),
        "{stdout}"
    );
    assert!(
        stdout.contains("the queue is empty: every job acknowledged"),
        "{stdout}"
    );
}

/// A submitter that gives up: no worker serves the queue, so after the
/// time limit it stops with exit status 1, says so in one line, and
/// withdraws its jobs: the queue it leaves is empty.
#[test]
fn a_submitter_that_gives_up_withdraws_what_is_left() {
    if !have_nats() {
        return;
    }
    let server = LocalServer::start().unwrap();
    let address = server.address();
    let (code, stdout, stderr) = run(&[
        "submit",
        "--server",
        &address,
        "--items",
        "5",
        "--timeout",
        "0.5",
    ]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert_eq!(
        stderr.trim(),
        "error: gave up after 0.5 s with 0 of 5 results in; withdrew 5 unfinished tasks from the queue"
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let left = runtime.block_on(async {
        let client = Client::connect(&address, &Settings::default(), runner::Recorder::quiet())
            .await
            .unwrap();
        let left = client.queue().drained(std::time::Duration::ZERO).await;
        client.close().await;
        left
    });
    assert_eq!(left, 0, "jobs left on the queue");
}
