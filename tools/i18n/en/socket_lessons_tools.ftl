# The tools' sentences, in English (tools/src/i18n.rs). Every message here has its twin, with the
# same id and the same arguments, in ../zh-CN/socket_lessons_tools.ftl (a test checks).
# One section per tool; add a message in the section of the code that says it.

tools-language-name = English

## The lesson command line (src/cli.rs): --help, status lines, errors

cli-help-lang = The language to speak: en (English) or zh (简体中文). Without it, the locale decides (LANG=zh_CN.UTF-8 speaks Chinese), else English

## The demos (src/demo/): narration, pictures' captions, the step prompt

# The demo runner (src/demo/mod.rs): the heading, the closing aside, the step prompt, errors.
demo-heading = { $bin } — { $title } ({ $step })
demo-listening = (the server is listening on { $addr })
demo-server-log-aside = (The server logs to stderr: RUST_LOG=info cargo run --bin { $bin } shows it.)
demo-step-prompt = [Enter: next part]
demo-no-demo-yet = This stage has no demo yet.
demo-error-no-such-part = there is no part { $asked }: { $bin }'s demo has { $parts }
demo-error-one-part = one part (--part 1)
demo-error-parts = { $parts } parts (--part 1 to { $parts })
demo-error-failed = the demo failed: { $error }

# The play-by-play (src/demo/replay.rs): who did what. The verbs are padded to 10 columns.
demo-replay-client = client { $name }
demo-replay-connects = { $who } connects
demo-replay-joins = joins
demo-replay-sends = sends
demo-replay-receives = receives
demo-replay-waits = waits
demo-replay-quits = quits
demo-replay-leaves = leaves
demo-replay-resets = resets
demo-replay-shuts = shuts
demo-replay-lines = { $lines } lines
demo-replay-closes-its-connection = (closes its connection)
demo-replay-bytes-in-reads = { $bytes } bytes in { $reads } reads
demo-replay-bytes-in-writes = { $bytes } bytes in { $writes } writes
demo-replay-refused = { $who } tries to connect: connection refused, nobody is listening
demo-replay-cannot-connect = { $who } tries to connect: { $error }
demo-replay-frame = frame { $body }
demo-replay-frame-in-writes = frame { $body } in { $writes } writes
demo-replay-write-fails = { $bytes }: the write fails ({ $error })
demo-replay-md5-ok = md5 ok
demo-replay-md5-absent = no md5
demo-replay-md5-wrong = md5 WRONG
demo-replay-frame-received = { $bytes } bytes, { $md5 }: { $body }
demo-replay-empty-datagram = { $bytes } (an empty datagram: 0 bytes, and still a reply)
demo-replay-counted-read = { $bytes } bytes: { $ends }
demo-replay-silence = { $ms } ms: { $why }
demo-replay-hung-up = nothing: the server hung up
demo-replay-read-fails = an error: { $error }
demo-replay-linger-zero = (closes with SO_LINGER 0)
demo-replay-sending-side = its sending side (the server reads an end)
demo-replay-server-starts = server gets to work
demo-replay-interrupted = the server is stopped (Ctrl-C)
demo-replay-exits = the server exits after { $ms } ms
demo-replay-exits-failing = the server exits after { $ms } ms, failing
demo-replay-does-not-exit = the server has not exited { $ms } ms later

# Lessons 1-4 (src/demo/scripts.rs).
demo-lesson1-intro = The server goes through socket, bind, listen and accept, then reads one message, replies with it uppercased, and exits.
demo-lesson1-server-exited = server has served its one message and exited
demo-lesson1-notice = What to notice: the server served exactly one client, once. Nobody answers the second client. Lesson 2 adds a loop around accept. Notice too that 你好 came back untouched: only ASCII letters are uppercased.
demo-lesson2-intro = The server now loops around accept (链接循环): after one client it waits for the next.
demo-lesson2-notice = What to notice: a second client was served, so the connection loop works. But each connection gets one message: the server hung up on A after its first. Lesson 3 adds a loop around recv.
demo-lesson3-intro = The server now also loops around recv (通信循环): one client can send many messages, until it closes the connection (recv returns 0 bytes).
demo-lesson3-b-waits = no reply, B waits in the backlog while A is served
demo-lesson3-notice = What to notice: A had a whole conversation. B was connected all along (the kernel accepted it into the backlog) but got no answer until A left, because the server serves one client at a time. Lesson 4 gives every client its own thread.
demo-lesson4-intro = Every client now gets its own thread (支持并发), so nobody waits for anybody else.
demo-lesson4-notice = What to notice: B was answered while A was still connected, unlike lesson 3. Still broken: every stage so far assumes one recv returns one whole message. Lesson 5 shows that TCP never promised that.

# The pictures' rows (src/demo/picture.rs, drawn by sticky.rs and udp.rs).
demo-picture-client-writes = client writes
demo-picture-server-reads = server reads
demo-picture-server-writes = server writes
demo-picture-client-reads = client reads
demo-picture-read-frame-asks = read_frame asks
demo-picture-len = len
demo-picture-header = header
demo-picture-body = body

# Lesson 5 (src/demo/sticky.rs).
demo-empty-reply = An empty reply
demo-lesson5-intro = A remote-command server (try 'help', 'echo TEXT', 'seq N'). Like the tutorial, it trusts that one recv(1024) returns exactly one command, and the client trusts that one recv(1024) returns exactly one reply. TCP promised neither. Watch both go wrong.
demo-lesson5-part1 = The sender's side: requests glued together
demo-lesson5-part2 = The receiver's side: a reply longer than one read
demo-lesson5-notice = What to notice: TCP keeps bytes in order but does not keep message boundaries. Reading 'about 1024 bytes' and hoping is not a protocol. Lesson 6 sends the length first, in a fixed-size header (报头), so the reader always knows where a message ends.
demo-lesson5-glued-intro = For a moment the server is busy (in this demo it has simply not started reading yet, standing in for a server busy with other work). Meanwhile client A writes three commands, one write each.
demo-lesson5-server-reads-once = server gets to work and calls recv(1024) once
demo-lesson5-three-messages = three messages
demo-lesson5-one-read = one read, three messages: 粘包
demo-lesson5-glued-notice = The server ran ONE command, 'echo aecho becho c', as its reply shows. The write boundaries did not travel with the bytes: the receive buffer is one stream.
demo-lesson5-long-intro = 'seq 1000' prints 3893 bytes; the client reads at most 1024 of them.
demo-lesson5-not-the-reply = ^ not the reply to 'echo hi': it is more of seq 1000's output
demo-lesson5-reply-to-seq = reply to seq 1000: 3893 B
demo-lesson5-two-replies = two replies
demo-lesson5-read-n = read { $n }: 1024 B
demo-lesson5-the-rest-waits = the rest waits in A's receive buffer
demo-lesson5-reads-on = reads on
demo-lesson5-more-bytes = { $bytes } more bytes, ending { $ending }
demo-lesson5-long-notice = Those 1848 bytes are the 1845 left over from 'seq 1000', and only then the 3 bytes of 'hi\n': the reply to 'echo hi' came last. Every later reply is now off by one: the conversation is out of step for good.
demo-lesson5-empty-intro = 'seq 0' prints nothing, so the server sends nothing at all.
demo-lesson5-no-reply-ever = no reply, and none will ever come
demo-lesson5-empty-notice = A client that waits for the reply to 'seq 0' waits forever.

# Lesson 6 (src/demo/sticky.rs).
demo-lesson6-intro = The same command service, but every message now travels as a frame: 4 bytes giving the header's length, a JSON header (报头) giving the body's length and md5, then the body. The reader reads exactly 4 bytes, exactly the header, exactly the body: it never guesses.
demo-lesson6-first-version = 'echo a' on the wire as the tutorial's 初级版 (the body's length, the body):
demo-lesson6-final-version = and as its 终极版 (the header's length, the header, the body):
demo-lesson6-why-json = The bare length (初级版) already ends the guessing, but it can only ever say one thing. The JSON header can say more (the md5 here; a file name in a later lesson), and a reader ignores fields it does not know. Now the same abuse as lesson 5.
demo-lesson6-part1 = Glued requests
demo-lesson6-part2 = A big reply, then a small one
demo-lesson6-part3 = A request dribbled in tiny pieces
demo-lesson6-notice = What to notice: glued, split or empty, every message arrived whole and alone. The length travels ahead of the data, so the reader never has to guess; the md5 confirms the body is the one the header promised. Later lessons build on this frame.
demo-lesson6-glued-intro = The server is busy again (not yet reading), while client A writes three request frames back to back.
demo-lesson6-frame-label = frame: { $body }
demo-lesson6-three-frames = three frames, back to back
demo-lesson6-each-part = exactly each part, in turn
demo-lesson6-glued-notice = Three replies to three commands. The frames arrived glued, as in lesson 5, but the server's reader stopped exactly at every frame's end, because the header said where.
demo-lesson6-big-intro = The reply to 'seq 1000' is 3893 bytes.
demo-lesson6-reply-frame = reply frame: seq 1000
demo-lesson6-two-reply-frames = two reply frames
demo-lesson6-big-notice = No leftovers: 'echo hi' got 'hi'. Even a { $bytes } byte reply arrives whole, its md5 checked.
demo-lesson6-dribbled-intro = Client A writes one frame 5 bytes at a time, each piece handed to TCP at once (Nagle's algorithm switched off).
demo-lesson6-message = message
demo-lesson6-one-request-frame = one request frame
demo-lesson6-many-writes = one frame, many writes
demo-lesson6-until-complete = each part is read until it is complete
demo-lesson6-empty-intro = 'seq 0' prints nothing, and that is still a frame.

## grade (src/grade/): case titles, verdicts, hints, the report
# The catalogue (src/grade/catalogue.rs): every case's title and hint, by its id (2.3 is
# grade-case-2-3-*). The English is exactly the catalogue's (a unit test checks).
grade-case-1-1-title = a message is answered by the protocol's rule
grade-case-1-1-hint = the reply rule: bytes.upper() for echo; `echo TEXT` replies TEXT and a newline
grade-case-1-2-title = UTF-8 text passes through untouched
grade-case-1-2-hint = upper-case a-z only: decoding and re-encoding, or str.upper(), changes other letters
grade-case-1-3-title = a message of 1,024+ bytes is answered whole
grade-case-1-3-hint = one recv(1024) is not one message: keep reading (echo) or frame the reply
grade-case-1-4-title = a 2,000-byte datagram: how much of it comes back
grade-case-1-4-hint = a datagram longer than the server's buffer is cut by the kernel, the rest lost
grade-case-1-5-title = an empty reply is a frame with total_size 0
grade-case-1-5-hint = `seq 0` prints nothing; a bare protocol would send nothing and leave the client waiting
grade-case-1-6-title = a request with unknown header fields and no md5 is served
grade-case-1-6-hint = the header is open: a reader ignores fields it does not know, and md5 is optional
grade-case-1-7-title = a member's line reaches every other member as `[NAME] text`, and not its sender
grade-case-1-7-hint = a chat room relays to the others: a loop over every member but the one who spoke
grade-case-1-8-title = a member who joins is told who is present, and the others that it joined
grade-case-1-8-hint = `* in the room: a, b` to the newcomer, `* NAME joined` to everyone else
grade-case-1-9-title = a member who leaves is announced to the others
grade-case-1-9-hint = recv returning b'' is a member leaving: tell the room `* NAME left`
grade-case-1-10-title = a line of 1,000 bytes, the longest allowed, reaches the others whole
grade-case-1-10-hint = the limit is 1,000 bytes without the line end: one recv(1024) may hold less than a line
grade-case-1-11-title = a connection that has not named itself yet hears nothing
grade-case-1-11-hint = a connection becomes a member with its name: broadcast to members, not to sockets
grade-case-1-12-title = an existing file is downloaded whole, under its name and md5
grade-case-1-12-hint = a get reply's header names the file and carries its md5; the body is the file, exactly
grade-case-1-13-title = an uploaded file can be downloaded again
grade-case-1-13-hint = a put stores exactly total_size bytes under the name, and a get on the same connection finds it
grade-case-1-14-title = a missing file is an error reply, and the connection goes on
grade-case-1-14-hint = a refusal is a frame whose header has "error"; then read the next request
grade-case-1-15-title = the robot speaks first
grade-case-1-15-hint = send the welcome before reading anything: the caller waits for it
grade-case-1-16-title = the menus, turn by turn, and exit
grade-case-1-16-hint = one place in the menu per call; `exit` in any menu says goodbye with hang_up true, then closes
grade-case-1-17-title = input is compared as bytes, trimmed of ASCII space only
grade-case-1-17-hint = trim_ascii() and compare bytes: " 1\r\n" is 1, and EXIT is not exit
grade-case-2-1-title = two requests in one write are answered separately
grade-case-2-1-hint = 粘包 (sticky packets): one recv(1024) can hold two requests
grade-case-2-2-title = a small request split in two, at every offset, is read whole
grade-case-2-2-hint = a request split in two arrives as two reads: read until the frame says it is whole
grade-case-2-3-title = a request dribbled one byte per write is read whole
grade-case-2-3-hint = one recv may return a piece of a request (recv(4) may return 1 byte): a server that trusts one recv fails here
grade-case-2-4-title = a large message (over 1 MB) is answered whole, and the next reply is the next request's
grade-case-2-4-hint = a reply longer than one read spills into the next one unless it is framed
grade-case-2-5-title = two lines in one write arrive as two lines
grade-case-2-5-hint = one recv can hold two lines: split at every \n, not once per recv
grade-case-2-6-title = an upload dribbled one byte per write is stored whole
grade-case-2-6-hint = read exactly the header, then exactly total_size bytes of body, however they come
grade-case-2-7-title = three requests re-cut by the chaos proxy into 1-3 byte reads are answered whole
grade-case-2-7-hint = 粘包 and 拆包: a read may hold a piece of a message; read until the message is whole
grade-case-3-1-title = a second client is served while the first stays connected
grade-case-3-1-hint = one client at a time: the second waits in the backlog (半连接池) until the first leaves
grade-case-3-2-title = 100 clients connected at once are all answered
grade-case-3-2-hint = one thread (or one event) per client, and a backlog that holds them: the tutorial's listen(5) keeps only 5 waiting
grade-case-3-3-title = 50 members at once: each hears the 49 others' lines
grade-case-3-3-hint = a thread (or an event) per member, and one list of members shared under a lock
grade-case-3-4-title = a download is served while another client's upload is half sent
grade-case-3-4-hint = a thread per client: one slow upload must not hold up everyone else
grade-case-3-5-title = two callers keep their own place in the menu
grade-case-3-5-hint = a caller's place in the menu belongs to its call: a local variable of its thread
grade-case-4-1-title = bytes that are not UTF-8 text get an ordinary answer
grade-case-4-1-hint = never decode what a peer sends without handling the error (a panic, a dead thread)
grade-case-4-2-title = a client that resets the connection half-way through a request
grade-case-4-2-hint = a reset is an error of one connection (ConnectionResetError), not of the server
grade-case-4-3-title = a client that never reads its replies does not hold up the others
grade-case-4-3-hint = a server blocked in send() to one client must not be the server of everyone
grade-case-4-4-title = a header length of 2^32-1 is refused at once
grade-case-4-4-hint = a server that trusts the header length waits for (or allocates) 4 GiB
grade-case-4-5-title = a header length just over 64 KiB is refused before the header arrives
grade-case-4-5-hint = check the announced length against a limit before reading or allocating
grade-case-4-6-title = a header that is not JSON is refused
grade-case-4-6-hint = json.loads raises on it: catch it and end that one connection
grade-case-4-7-title = a header that is not UTF-8 is refused
grade-case-4-7-hint = decode('utf-8') raises on it: catch it and end that one connection
grade-case-4-8-title = a header that is JSON but not an object is refused
grade-case-4-8-hint = header['total_size'] on a list raises TypeError
grade-case-4-9-title = a header without total_size is refused
grade-case-4-9-hint = header['total_size'] raises KeyError
grade-case-4-10-title = a negative total_size is refused
grade-case-4-10-hint = `while received < -1` never runs: the body is taken to be empty
grade-case-4-11-title = a total_size that is a string is refused
grade-case-4-11-hint = comparing an int with a str raises TypeError
grade-case-4-12-title = a total_size of null is refused
grade-case-4-12-hint = null is not a size
grade-case-4-13-title = a total_size over 8 MiB is refused before the body arrives
grade-case-4-13-hint = a server that trusts total_size waits for (or allocates) the whole body
grade-case-4-14-title = a total_size of 2^64-1 is refused
grade-case-4-14-hint = a server that trusts total_size waits for 16 EiB
grade-case-4-15-title = a connection closed in the middle of the length is ended
grade-case-4-15-hint = recv returns b'' at the end: a loop that ignores it spins forever
grade-case-4-16-title = a connection closed in the middle of the header is ended
grade-case-4-16-hint = recv(header_len) may return fewer bytes, and b'' at the end
grade-case-4-17-title = a truncated body (the connection closed in the middle of it) is ended
grade-case-4-17-hint = `while received < total_size: recv(1024)` spins forever once recv returns b''
grade-case-4-18-title = a request whose md5 does not match its body is refused, and not run
grade-case-4-18-hint = check the md5 before running the command
grade-case-4-19-title = clients that announce an 8 MiB body and send none of it hold up nobody
grade-case-4-19-hint = a server that waits for one client's body inside the accept loop serves nobody else
grade-case-4-20-title = an empty datagram is a message: it gets an empty reply
grade-case-4-20-hint = recvfrom returning 0 bytes is an empty datagram, not an end: UDP has no end
grade-case-4-21-title = a 65,507-byte datagram (the largest over IPv4)
grade-case-4-21-hint = the kernel cuts it to the buffer; the server must serve on
grade-case-4-22-title = a 1,001-byte line ends only that member, with an error line
grade-case-4-22-hint = a reader must stop somewhere: past 1,000 bytes without \n, refuse the line and end that member
grade-case-4-23-title = a name that is not 1-16 letters or digits is refused with an error line, and closed
grade-case-4-23-hint = check the name before the member joins: `[bob]` or a space would pass for part of a notice
grade-case-4-24-title = a name already present is refused with an error line, and closed
grade-case-4-24-hint = two members of one name: nobody could tell who said what
grade-case-4-25-title = a member that never reads is dropped, and the others still hear every line
grade-case-4-25-hint = send() to a member who does not read blocks: give each member a bounded queue and drop it when full
grade-case-4-26-title = a line that is not UTF-8 ends only that member, with an error line
grade-case-4-26-hint = decode('utf-8') raises on it: catch it and end that one member
grade-case-4-27-title = a client that connects and resets before sending a byte
grade-case-4-27-hint = a reset is an error of one connection (ConnectionResetError), not of the server
grade-case-4-28-title = a name that leads out of the folder is refused, and nothing outside is read
grade-case-4-28-hint = root.join(name) climbs out with .. and is replaced by an absolute name: allow plain file names only
grade-case-4-29-title = an upload whose md5 does not match is refused, and nothing is kept
grade-case-4-29-hint = write to a temporary file, check the md5, and only then rename it to its name
grade-case-4-30-title = an upload cut off in the middle is not kept, not even in part
grade-case-4-30-hint = a body that ends early is an error: remove the temporary file; the real name is given only to a whole, checked file
grade-case-4-31-title = a silent caller is told goodbye after --idle, and hung up on
grade-case-4-31-hint = a read timeout of --idle on the connection: when it fires, say the idle goodbye with hang_up true and close
grade-case-6-1-title = the client sends its first line as one message and prints the one reply
grade-case-6-1-hint = connect, send the line's bytes (without its line end), one read, print the reply and a newline
grade-case-6-2-title = the client sends each line as one message and prints each reply
grade-case-6-2-hint = a loop over the lines of standard input: send, read the reply, print it
grade-case-6-3-title = the client skips an empty line
grade-case-6-3-hint = an empty send sends nothing, and both sides would wait: `continue` on an empty line
grade-case-6-4-title = a line `q` ends the client
grade-case-6-4-hint = `if line == "q" {"{"} break; {"}"}` before sending
grade-case-6-5-title = a server that hangs up ends the client
grade-case-6-5-hint = a read of 0 bytes is the server gone: stop, do not print an empty reply
grade-case-6-6-title = the client reads a reply frame whole, however the network cuts it
grade-case-6-6-hint = read exactly 4 bytes, exactly the header, exactly the body
grade-case-6-7-title = the client takes an empty reply frame as a reply, and goes on
grade-case-6-7-hint = `seq 0` is a frame with an empty body: print nothing, and read the next reply for the next line
grade-case-6-8-title = the client sends an empty line as an empty datagram, and prints its empty reply
grade-case-6-8-hint = UDP has no end of stream: an empty datagram is a message like any other
grade-case-6-10-title = `get NAME` downloads the file whole into the client's folder
grade-case-6-10-hint = write to a temporary file beside it, check the md5, then rename
grade-case-6-11-title = `put PATH` uploads the file under its name
grade-case-6-11-hint = a put request: the header with action, filename and the md5 of the file, then the file
grade-case-6-16-title = the client prints the welcome, each reply, and ends at the goodbye
grade-case-6-16-hint = read the welcome first; after a reply with hang_up true, end without reading more input
grade-case-7-1-title = after its one client, the server exits with status 0
grade-case-7-1-hint = lesson 1 serves one client: after the reply, return from main
grade-case-7-2-title = no thread of the server panicked
grade-case-7-2-hint = a panic is a bug, even one that ends only a connection
grade-case-7-3-title = a server with no clients sleeps
grade-case-7-3-hint = read returning 0 is the end of a conversation: a loop that ignores it spins for ever
grade-case-7-5-title = one message per connection, then the server hangs up
grade-case-7-5-hint = lesson 2: one read, one reply, and the connection is dropped
grade-case-7-6-title = clients beyond --max-clients are told so in one line, and closed
grade-case-7-6-hint = count the clients being served in one shared counter; the one too many gets BUSY and a shutdown
grade-case-7-7-title = a seat comes back however its client left
grade-case-7-7-hint = give the seat back in a Drop: it runs however the thread ends
grade-case-7-8-title = a silent client is hung up on after --idle, a talking one is not
grade-case-7-8-hint = set_read_timeout(idle): a read that times out is a client silent for too long

# The report, the command line, the judges' own sentences.
grade-lifecycle-title = after it, a new well-behaved client is served
grade-lifecycle-hint = a hostile peer must end only its own connection, never the server
grade-informational = (informational)
grade-only-for = only for { $protocols }
grade-needs-the-program = it needs the program itself: `learn` runs it
grade-the-case-runs = the case runs
grade-cannot-start-thread = cannot start its thread: { $error }
grade-case-ends-within = the case ends within { $secs } s
grade-a-hang = it did not: the server neither answered nor closed (a hang)
grade-grader-panicked = the grader itself panicked: a bug in the grader
grade-strict-suffix = {" "}(--strict: a SHOULD counts as a MUST)
grade-verdict-pass = PASS
grade-verdict-non-strict = NON-STRICT
grade-verdict-fail = FAIL
grade-verdict-info = INFO
grade-verdict-skipped = SKIPPED
grade-summary = { $passed } passed, { $failed } failed, { $skipped } skipped, { $non_strict } non-strict, { $info } info
grade-label-expected = expected:{" "}
grade-label-observed = observed:{" "}
grade-label-hint = hint:{" "}
grade-looks-like-echo = this looks like an echo server: try --protocol { $protocol }
grade-looks-like-rfc862 = this looks like an RFC 862 echo server: try --protocol { $protocol }
grade-looks-like-commands = this looks like a command server: try --protocol { $protocol }
grade-looks-like-other = this looks like a { $protocol } server: try --protocol { $protocol }
grade-group-basics = basics
grade-group-framing = framing
grade-group-concurrency = concurrency
grade-group-lifecycle = lifecycle
grade-group-hostile-heading = 4 hostile input (each case 4.N followed by 5.N: the server still serves)
grade-error-seconds = { $flag } { $value }: expected a number of seconds above 0
grade-error-no-case-matches = --cases { $cases }: no case of the catalogue matches
grade-error-nothing-listening = nothing is listening at { $addr } over { $over }
grade-error-cannot-write = cannot write { $path }: { $error }
grade-error-failed = { $failed } case(s) failed
grade-error-server-gone = nothing is listening at { $addr } any more: the server stopped during case { $during } ({ $not_run } case(s) not run)
grade-error-out-of-time = the run's budget of { $secs } s was spent ({ $not_run } case(s) not run)
grade-error-interrupted = interrupted: not every case ran
grade-error-separator = ;{" "}
grade-warning-not-loopback = warning: { $addr } is not a loopback address; the hostile cases (group 4) now send it malformed and oversized input. Ctrl-C stops before the next case.
grade-hint-answered-a-piece = the server answered a piece of the request and hung up: a loop around recv (通信循环) keeps the connection, and reading until the request is whole keeps it one request
grade-hint-never-served = the second client was not answered even once the first had left: after a client leaves, the server must go back to accept (链接循环)
grade-hint-gone-after-first = the server was gone after its first client: a loop around accept (链接循环) serves the next
grade-hint-backlog = a connection the server has not accepted waits in its listen backlog, and one that finds the backlog full is retried by the client's kernel a second later: the tutorial's listen(5) holds 5, so a hundred at once take many seconds to get in. A larger backlog (the course asks for 4096) lets them in at once
grade-hint-accepts-but-serves-none = the server let clients connect and answered none of them: the thread that accepts must not be the one that serves
grade-hint-nobody-listens = nobody listens there any more: the server has stopped (after this hostile peer, or before it); a server must outlive every client, and a hostile one ends only its own connection
grade-hint-rechunked = the server read each request in pieces of 1 to 3 bytes, as a busy network may deliver it: a server that takes one read for one message (or trusts `read` to fill a 4-byte length) fails on the first piece; read until the message is whole
grade-hint-upload-holds-up = client B waited while A's upload was half sent: the server serves one client at a time; a thread per client (lesson 4) lets B in
grade-hint-hung-after-empty-line = the client hung after the empty line: it sent nothing (an empty send sends no bytes), and then waited for a reply that will never come; skip empty lines
grade-hint-reply-in-many-reads = the reply came in many reads (the proxy cut it, as a busy network does): read exactly 4 bytes, exactly the header, exactly the body, never `read` once and hope
grade-hint-a-thread-panicked = a thread panicked: a peer's bytes or a failed read or write reached an `unwrap` or a `todo!()`; a panic is a bug, even one that ends only a connection: match on the error and end that one conversation
grade-hint-spins-when-idle = the server works flat out with nobody there: a loop that goes round when `read` returns 0 (the peer has closed) never ends; 0 bytes is the end of that conversation
grade-hint-robot-silent = nothing at all came before the caller said anything: the robot speaks first, sending the welcome as soon as the call is accepted
grade-hint-bytes-as-sent = the reply was the bytes as sent, not upper-cased: the echo rule is bytes.upper() (a plain RFC 862 echo server passes with --protocol rfc862)
grade-hint-upper-cased = the reply was upper-cased: RFC 862 echoes the bytes as they came (the course's echo rule is --protocol echo)
grade-hint-speaks-echo = the server echoed the request upper-cased: it speaks echo
grade-hint-speaks-rfc862 = the server sent the request back as it came: it speaks rfc862
grade-hint-speaks-framed = the replies are frames (a length, a JSON header): it speaks framed
grade-hint-speaks-chat = the replies are a chat room's lines: it speaks chat
grade-hint-speaks-commands = the replies are the command service's: it speaks commands
grade-its-stderr = {" "}(its stderr: { $stderr })

## compare (src/compare/): rows and cells

## learn (src/learn/): the runner's output

## chaos and netassist (src/chaos/, src/netassist/)

## course (src/bin/course.rs): the course map and reset
