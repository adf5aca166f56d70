//! The wire protocol between the pool and its workers: length-prefixed
//! postcard frames on a Unix socket pair.
//!
//! Each message is one *frame*: a 4-byte little-endian length, then a
//! postcard header ([`RequestHead`] or [`ReplyHead`]) and, when the header
//! says so, a postcard body (the task, or its outcome): the pool's
//! internals, which never look inside a task, route a frame by its header.
//!
//! ```text
//! ┌──────────┬──────────────────────┬───────────────────────────────┐
//! │ len: u32 │ head (postcard)      │ body (postcard), optional     │
//! └──────────┴──────────────────────┴───────────────────────────────┘
//! ```
//!
//! Frames, because a socket is a byte stream: one `read` may return half a
//! message or three. A maximum size, because a corrupt length would make
//! the reader allocate gigabytes. (Python's `multiprocessing` connections
//! do the same: pickled objects behind a length header on a pipe.)

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io::{self, Read};

/// The largest frame either side accepts unless the pool is built with
/// [`crate::PoolBuilder::max_frame_bytes`]: 64 MiB.
pub const DEFAULT_MAX_FRAME: usize = 64 * 1024 * 1024;

/// The smallest maximum frame a pool accepts: room for every fixed-size
/// notice (`Ready`, `Initializing`, `TooLarge`), so a worker can always say
/// what happened.
pub const MIN_FRAME: usize = 64;

/// The first thing on every frame: how many payload bytes follow.
pub const LEN_BYTES: usize = 4;

/// A request header, parent to worker.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum RequestHead {
    /// The first frame a worker receives. If `has_initializer`, the body is
    /// the initializer task, which the worker runs before saying it is ready.
    Start {
        /// Whether a task body follows.
        has_initializer: bool,
    },
    /// Run one task; the body is the task.
    Run {
        /// The pool's id for this request (echoed in the reply).
        id: u64,
    },
    /// Run a chunk of tasks (from `map` with a chunksize); the body is a
    /// `Vec` of tasks.
    RunChunk {
        /// The pool's id for this request (echoed in the reply).
        id: u64,
    },
}

/// A reply header, worker to parent.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum ReplyHead {
    /// The worker started (and ran its initializer, if any): it is ready.
    Ready {
        /// The worker's process id, as it sees it.
        pid: u32,
    },
    /// The initializer failed; the body is a `String` saying why. The worker
    /// exits after sending this.
    InitializerFailed,
    /// The outcome of request `id`; the body is one [`WireOutcome`] for a
    /// `Run`, a `Vec` of them for a `RunChunk`.
    Done {
        /// The request this answers.
        id: u64,
        /// How long the worker spent running it, in microseconds (the
        /// pool's window rule uses it).
        run_micros: u64,
    },
    /// Request `id` produced nothing that can be sent back (the chunk could
    /// not be decoded, or its result not encoded); the body is a `String`
    /// saying why, cut to fit the frame. Every task of the request gets
    /// that error.
    Undeliverable {
        /// The request this answers.
        id: u64,
    },
    /// The worker started and is running the initializer (sent before
    /// it, so that a worker the initializer kills is not mistaken for one
    /// whose program lacks the worker hook).
    Initializing,
    /// Request `id` ran, but its result is `size` bytes encoded, more than
    /// the maximum frame: a fixed-size notice with no body, so that it
    /// always fits (see [`MIN_FRAME`]).
    TooLarge {
        /// The request this answers.
        id: u64,
        /// The encoded result's size in bytes.
        size: u64,
    },
}

/// How one task ended, as sent back by the worker.
#[derive(Debug, Serialize, Deserialize)]
pub enum WireOutcome<O, E> {
    /// `run` returned `Ok`.
    Ok(O),
    /// `run` returned `Err`.
    Failed(E),
    /// `run` panicked; the message and where.
    Panicked(String),
    /// The worker could not decode the task or encode its result.
    Protocol(String),
}

/// Errors of the framing layer.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    /// A frame would exceed (or announced more than) the maximum size.
    #[error("a frame of {size} bytes exceeds the maximum frame size of {max} bytes")]
    TooLarge {
        /// The frame's size.
        size: usize,
        /// The limit in force.
        max: usize,
    },
    /// postcard could not encode or decode a value.
    #[error("postcard: {0}")]
    Postcard(#[from] postcard::Error),
    /// Reading or writing the socket failed.
    #[error("i/o: {0}")]
    Io(#[from] io::Error),
}

/// Encodes one complete frame (length prefix included): `head`, then `body`
/// if there is one, in one `Vec` with room for the length reserved up
/// front, so a 16 MiB task is serialized once and never copied.
pub fn encode_frame<H: Serialize, B: Serialize + ?Sized>(
    head: &H,
    body: Option<&B>,
    max: usize,
) -> Result<Vec<u8>, ProtocolError> {
    let mut frame = vec![0u8; LEN_BYTES];
    frame = postcard::to_extend(head, frame)?;
    if let Some(body) = body {
        frame = postcard::to_extend(body, frame)?;
    }
    let size = frame.len() - LEN_BYTES;
    if size > max {
        return Err(ProtocolError::TooLarge { size, max });
    }
    let len = u32::try_from(size).map_err(|_| ProtocolError::TooLarge { size, max })?;
    frame[..LEN_BYTES].copy_from_slice(&len.to_le_bytes());
    Ok(frame)
}

/// Reads one frame's payload. `Ok(None)` means the other side closed the
/// socket cleanly between frames (end of input).
pub fn read_frame(input: &mut impl Read, max: usize) -> Result<Option<Vec<u8>>, ProtocolError> {
    let mut len = [0u8; LEN_BYTES];
    // Read the first byte separately: EOF here is a clean close, EOF inside
    // a frame is a truncated message (the other side died mid-write).
    match input.read(&mut len[..1]) {
        Ok(0) => return Ok(None),
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::Interrupted => {
            return read_frame(input, max);
        }
        Err(e) if e.kind() == io::ErrorKind::ConnectionReset => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    input.read_exact(&mut len[1..])?;
    let size = u32::from_le_bytes(len) as usize;
    if size > max {
        return Err(ProtocolError::TooLarge { size, max });
    }
    let mut payload = vec![0u8; size];
    input.read_exact(&mut payload)?;
    Ok(Some(payload))
}

/// Splits a payload into its header and the undecoded body bytes.
pub fn split_head<H: DeserializeOwned>(payload: &[u8]) -> Result<(H, &[u8]), ProtocolError> {
    Ok(postcard::take_from_bytes(payload)?)
}

/// Decodes a body.
pub fn decode_body<B: DeserializeOwned>(body: &[u8]) -> Result<B, ProtocolError> {
    Ok(postcard::from_bytes(body)?)
}
