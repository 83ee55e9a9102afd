//! Lesson 6 speaking the tutorial's own wire (`lesson6 client --wire tutorial` or
//! `--wire tutorial-basic`), so that our client can talk to the tutorial's Python server.
//!
//! The server side needs no code of its own: the tutorial's server is lesson 5's loop with a
//! header in front of each reply (`Commands::replying_in`). This client is lesson 6's, with the
//! tutorial's two habits: it sends each command bare, and it reads the reply in the tutorial's
//! format ([`crate::frame::tutorial`]).

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};

use log::warn;

use crate::escape::peer_text;
use crate::frame::tutorial::{self, Wire};
use crate::frame::{Limits, Md5Check};
use crate::stage::Lines;

/// Sends each non-empty one of `lines` bare and prints each reply's body, until the input ends
/// or a line says `q`.
pub fn client(
    addr: SocketAddr,
    wire: Wire,
    lines: Lines,
    output: &mut dyn Write,
) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    let mut said_unchecked = false;
    for line in lines {
        let command = line?;
        if command.is_empty() {
            continue;
        }
        if command == b"q" {
            break;
        }
        // Bare, as the tutorial's client sends it: the server reads it with one recv(1024).
        if let Err(e) = phone.write_all(&command) {
            warn!("the server closed the connection ({e})");
            break;
        }
        let Some(reply) = tutorial::read_reply(&mut phone, wire, &Limits::REPLY)? else {
            warn!("the server closed the connection");
            break;
        };
        match reply.header.md5.as_deref() {
            // The tutorial's server sends a placeholder in place of the md5: there is nothing to
            // check it against. Say so, once.
            Some(md5) if !tutorial::is_digest(md5) => {
                if !said_unchecked {
                    let md5 = peer_text(md5);
                    warn!("the server's md5 {md5} is not a digest: its replies are not checked");
                    said_unchecked = true;
                }
            }
            _ => {
                if let Md5Check::Mismatch { expected, actual } = reply.check_md5() {
                    let expected = peer_text(&expected);
                    let message = format!(
                        "the reply is damaged: its md5 is {actual}, but the header said {expected}"
                    );
                    return Err(io::Error::new(io::ErrorKind::InvalidData, message));
                }
            }
        }
        output.write_all(&reply.body)?;
        output.flush()?;
    }
    Ok(())
}
