"""The fixed-header frame of lesson 6 (报头), as the Rust crate sends it (src/frame.rs).

Not a program: lesson6_framed_server.py and lesson6_framed_client.py import it. Every message, in
both directions, is:

    4 bytes   the header's length: struct.pack('!I', n), unsigned, big-endian (network order)
    header    JSON, compact: {"total_size":N,"md5":"<hashlib.md5(body).hexdigest()>"}
    body      exactly total_size bytes

The reader reads exactly 4 bytes, then exactly the header, then exactly the body, so however TCP
glues or splits the bytes, each message comes out whole. Sizes are checked against limits before
anything of that size is read, so a peer cannot make us wait for (or allocate) gigabytes.
"""

import hashlib
import json
import struct

HEADER_LIMIT = 64 * 1024  # the longest header either side accepts
REQUEST_LIMIT = 8 * 1024 * 1024  # the longest request body a server accepts
REPLY_LIMIT = 128 * 1024 * 1024  # the longest reply body a client accepts


class FrameError(Exception):
    """A frame that breaks the protocol (the message says how)."""


def frame(body):
    """The bytes of one frame carrying `body`, byte for byte what the Rust side writes."""
    header = json.dumps({'total_size': len(body), 'md5': hashlib.md5(body).hexdigest()},
                        separators=(',', ':')).encode('utf-8')
    return struct.pack('!I', len(header)) + header + body


def read_frame(sock, body_limit):
    """Reads one frame: returns (md5 or None, body), or None if the stream ended cleanly first."""
    prefix = recv_exactly(sock, 4, 'header length', may_end=True)
    if prefix is None:
        return None  # the peer closed between two frames: a goodbye, not an error
    (header_len,) = struct.unpack('!I', prefix)
    if header_len > HEADER_LIMIT:
        raise FrameError(f'the header length prefix says {header_len} bytes, '
                         f'over the {HEADER_LIMIT}-byte header limit')
    header_bytes = recv_exactly(sock, header_len, 'header')
    try:
        header = json.loads(header_bytes.decode('utf-8'))
    except UnicodeDecodeError:
        raise FrameError('the header is not valid UTF-8 text') from None
    except ValueError as e:
        raise FrameError(f'the header is not valid header JSON: {e}') from None
    if not isinstance(header, dict):
        raise FrameError('the header is JSON but not an object; '
                         'expected something like {"total_size": 5}')
    size = header.get('total_size')
    # type() and not isinstance(): JSON true is a Python bool, which isinstance counts as an int.
    if type(size) is not int or size < 0:
        raise FrameError('the header has no "total_size" field holding a non-negative whole number')
    md5 = header.get('md5')
    if md5 is not None and not isinstance(md5, str):
        raise FrameError('the header is not valid header JSON: "md5" is not a string')
    if size > body_limit:
        raise FrameError(f'the peer announced a {size}-byte body, over the {body_limit}-byte limit')
    body = recv_exactly(sock, size, 'body')
    return md5, body


def md5_mismatch(md5, body):
    """None if the header's md5 fits the body (or there is none), else the body's real md5."""
    actual = hashlib.md5(body).hexdigest()
    if md5 is None or md5.lower() == actual:
        return None
    return actual


def recv_exactly(sock, n, part, may_end=False):
    """Exactly n bytes: one recv may return fewer than asked for, so recv until there are n.

    With may_end, None if the stream ends before the first byte; any other end is a FrameError.
    """
    data = bytearray()
    while len(data) < n:
        chunk = sock.recv(min(n - len(data), 65536))
        if not chunk:
            if not data and may_end:
                return None
            raise FrameError(f'the connection ended in the middle of a frame: expected {n} bytes '
                             f'of {part}, received only {len(data)}')
        data += chunk
    return bytes(data)
