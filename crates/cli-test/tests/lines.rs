//! Reading printed lines back: labels, counts, items.

use cli_test::lines::{count, items, labelled_lines, messages};

/// Labels are read off, unlabelled lines kept whole; counts go by who
/// and text; items are found after a label too.
#[test]
fn reads_labelled_lines_and_items() {
    let out = "[   0.001s] worker-1       | Item 2, result 20 (pid 7)\n\
               plain line \n\
               [  12.000s] main           | Item 1, result 10\n";
    assert_eq!(
        labelled_lines(out),
        [
            ("worker-1", "Item 2, result 20 (pid 7)"),
            ("main", "Item 1, result 10")
        ]
    );
    assert_eq!(messages(out)[1], "plain line");
    assert_eq!(
        (count(out, "main", "Item"), count(out, "work", "Item")),
        (1, 0)
    );
    assert_eq!(items(out), [(2, 20), (1, 10)]);
}
