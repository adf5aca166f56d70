//! Files a run writes at its end (`--timeline run.svg`, `--trace run.json`),
//! checked before it starts.
//!
//! A run of minutes that fails at its last step because the picture cannot
//! be written is a run wasted. So the value parsers here refuse, as clap
//! refuses any bad flag (one line, exit status 2), a name without the
//! right extension, a directory, a folder that does not exist and a place
//! that cannot be written, before anything runs.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use common::cli::echo;

/// `--timeline FILE.svg`: `#[arg(long, value_parser = runner::output::svg_file)]`.
pub fn svg_file(text: &str) -> Result<PathBuf, String> {
    output_file(text, "svg")
}

/// `--trace FILE.json`: `#[arg(long, value_parser = runner::output::json_file)]`.
pub fn json_file(text: &str) -> Result<PathBuf, String> {
    output_file(text, "json")
}

/// A file that can be written, named `*.extension`.
pub fn output_file(text: &str, extension: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    let shown = echo(text);
    if path.extension().is_none_or(|ext| ext != extension) {
        return Err(format!("`{shown}` must be a file name ending in .{extension}"));
    }
    if path.is_dir() {
        return Err(format!("`{shown}` is a directory, not a .{extension} file"));
    }
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(format!("`{shown}`: the folder `{}` does not exist", echo(&folder.to_string_lossy())));
    }
    // The only sure test of "can be written" is writing: permission bits
    // say nothing to root, and /proc or a read-only mount refuse anyway.
    // Opened without truncating, and removed again if it is new.
    let existed = path.exists();
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|error| format!("cannot write `{shown}`: {error}"))?;
    if !existed {
        let _ = std::fs::remove_file(&path);
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wrong names, directories, missing folders and unwritable places are
    /// refused; a writable new name is accepted and left absent.
    #[test]
    fn checks_before_the_run() {
        let dir = std::env::temp_dir().join(format!("runner-output-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        let ok = dir.join("run.svg");
        assert_eq!(svg_file(ok.to_str().expect("utf-8")), Ok(ok.clone()));
        assert!(!ok.exists(), "the check leaves no empty file behind");
        let refused = [
            (dir.join("run.png"), "must be a file name ending in .svg"),
            (dir.join("x.svg"), "is a directory"),
            (dir.join("missing/run.svg"), "does not exist"),
            (PathBuf::from("/proc/run.svg"), "cannot write"),
        ];
        std::fs::create_dir_all(dir.join("x.svg")).expect("a folder named like a file");
        for (path, expected) in refused {
            let error = svg_file(path.to_str().expect("utf-8")).expect_err("refused");
            assert!(error.contains(expected), "{path:?}: {error}");
        }
        assert!(json_file("trace.svg").is_err());
        let long = format!("{}.png", "a".repeat(10_000));
        assert!(svg_file(&long).expect_err("refused").len() < 200);
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
