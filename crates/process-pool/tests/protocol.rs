//! The wire protocol's frames: a round trip, the size limit on both
//! sides, and end of input between and inside frames.
#![allow(clippy::unwrap_used)]

use process_pool::protocol::{
    ProtocolError, RequestHead, decode_body, encode_frame, read_frame, split_head,
};
/// A frame round-trips: head and body come back as sent.
#[test]
fn frame_round_trip() {
    let frame = encode_frame(&RequestHead::Run { id: 7 }, Some(&vec![1u8, 2, 3]), 1024).unwrap();
    let payload = read_frame(&mut &frame[..], 1024).unwrap().unwrap();
    let (head, body): (RequestHead, _) = split_head(&payload).unwrap();
    assert_eq!(head, RequestHead::Run { id: 7 });
    assert_eq!(decode_body::<Vec<u8>>(body).unwrap(), vec![1, 2, 3]);
}

/// Frames above the maximum are refused on both sides.
#[test]
fn oversized_frames_are_refused() {
    let big = vec![0u8; 100];
    assert!(matches!(
        encode_frame(&RequestHead::Run { id: 1 }, Some(&big), 50),
        Err(ProtocolError::TooLarge { max: 50, .. })
    ));
    let frame = encode_frame(&RequestHead::Run { id: 1 }, Some(&big), 1000).unwrap();
    assert!(matches!(
        read_frame(&mut &frame[..], 50),
        Err(ProtocolError::TooLarge { max: 50, .. })
    ));
}

/// An empty stream is a clean end of input; a cut frame is an error.
#[test]
fn eof_between_and_inside_frames() {
    assert!(read_frame(&mut &[][..], 10).unwrap().is_none());
    assert!(read_frame(&mut &[5u8, 0, 0, 0, 1][..], 10).is_err());
}
