//! The repository's pages, checked: links, anchors, excerpts, the book's
//! summary; and the checks themselves, shown to fail on a drifted excerpt
//! and a broken link.

use std::path::{Path, PathBuf};

use docs_check::{check_all, check_page, find_excerpt, slug};

/// The repository's root (this crate is `crates/docs-check`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every page of the repository passes every check.
#[test]
fn every_page_links_and_quotes_truly() {
    let problems = check_all(&root());
    let report: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        report.join("\n")
    );
}

/// An excerpt matches with other indentation and with gaps, and a changed
/// line is caught and named.
#[test]
fn a_drifted_excerpt_is_caught() {
    let source = "fn a() {\n    let x = 1;\n    let y = 2;\n\n    x + y\n}\n";
    assert_eq!(find_excerpt("let x = 1;\nlet y = 2;", source), Ok(()));
    assert_eq!(
        find_excerpt("fn a() {\n// ...\n    x + y\n}", source),
        Ok(())
    );
    assert_eq!(
        find_excerpt("let x = 1;\nlet y = 3;", source),
        Err("let y = 3;".to_owned())
    );
    // Out of order is drift too.
    assert!(find_excerpt("let y = 2;\n// ...\nlet x = 1;", source).is_err());
}

/// A block that names a file it does not match, a block that names no
/// file, a link to a missing file and to a missing anchor: all reported.
#[test]
fn broken_links_and_unmarked_blocks_are_caught() {
    let page = "# Title\n\n## A section\n\n[ok](#a-section) [self](#nowhere) \
                [file](../Cargo.toml) [gone](../no/such/file.rs) \
                [page](README.md#the-chapter-crate-by-crate) [bad](README.md#nope)\n\n\
                <!-- excerpt: crates/docs-check/src/lib.rs -->\n```rust\nfn not_in_the_file() {}\n```\n\n\
                ```python\nprint('from where?')\n```\n\n<!-- sketch -->\n```rust\nlet free = 1;\n```\n";
    let problems = check_page(&root(), Path::new("docs/test-page.md"), page);
    let said: Vec<String> = problems.iter().map(|p| p.what.clone()).collect();
    assert_eq!(problems.len(), 5, "{said:#?}");
    assert!(said[0].contains("#nowhere"), "{said:#?}");
    assert!(said[1].contains("no such file"), "{said:#?}");
    assert!(said[2].contains("#nope"), "{said:#?}");
    assert!(said[3].contains("has drifted"), "{said:#?}");
    assert!(said[4].contains("does not say what it quotes"), "{said:#?}");
}

/// Headings make the anchors GitHub and mdBook make.
#[test]
fn anchors_are_made_like_the_code_hosts() {
    assert_eq!(slug("What to look for"), "what-to-look-for");
    assert_eq!(
        slug("`spawn_blocking` vs. rayon!"),
        "spawn_blocking-vs-rayon"
    );
    assert_eq!(slug("Ctrl-C (exit 130)"), "ctrl-c-exit-130");
}
