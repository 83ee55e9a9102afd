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

# Lesson 7 (src/demo/udp.rs).
demo-lesson7-intro = UDP has no listen, no accept and no connection. The server is one socket and one loop: recvfrom(1024) returns one datagram and the address that sent it, and sendto sends the reply back to that address.
demo-lesson7-part1 = Three datagrams, back to back
demo-lesson7-part2 = Cut short
demo-lesson7-part3 = An empty datagram
demo-lesson7-part4 = Two clients, one loop, no threads
demo-lesson7-part5 = A lost datagram
demo-lesson7-notice = What to notice: the tutorial says UDP never glues messages together (UDP永远不会粘包). That is true, and it is half the truth: a datagram can also be cut short, lost, duplicated or reordered, and nothing notices or sends it again. TCP does that work for you; over UDP, the program has to do it itself.
demo-lesson7-three-intro = As in lesson 5, the server is busy for a moment (it has simply not started reading yet) while client A sends three messages, one sendto each.
demo-lesson7-server-starts = server gets to work: one recvfrom(1024) for each datagram
demo-lesson7-client-sends = client sends
demo-lesson7-three-datagrams = three datagrams
demo-lesson7-server-receives = server receives
demo-lesson7-three-recvfroms = three recvfroms: no 粘包
demo-lesson7-three-notice = The same set-up glued lesson 5's three commands into one read. Here each recvfrom returned exactly one datagram: the kernel queues datagrams, not bytes, so their boundaries travel with them.
demo-lesson7-empty-intro = In lesson 3 an empty send put no bytes on the wire, and recv returning 0 bytes meant the peer had closed. UDP has no connection to close: an empty datagram is a message, and it gets a reply, empty too.
demo-lesson7-two-intro = Client B sends while A is still around, and nobody waits (lesson 3's second client waited until the first had gone).
demo-lesson7-two-notice = The same loop answered both. It looks as if it served them at the same time (并发), but it served one datagram after the other: each turn is one recvfrom and one sendto, over in microseconds, and between two datagrams no client holds the server, because there is no connection to hold. One slow reply would make everybody wait.
demo-lesson7-lost-intro = On loopback nothing is ever lost, so the demo loses one on purpose: client A now sends through a relay, a stand-in for a bad network, which passes datagrams to the server and the replies back, except the second datagram, which it drops.
demo-lesson7-gives-up = it gives up on { $message }
demo-lesson7-lost-notice = Nothing told A that "two" was lost, and nobody sent it again: UDP does not retry. The lesson 7 client does what A did: it waits --timeout seconds (2 by default), says that the datagram or its reply may be lost, and goes on with the next line.
demo-lesson7-cut-intro = A receiver of the demo's own (not the lesson's server) calls recvfrom(1), with a 1-byte buffer, for the same three datagrams.
demo-lesson7-sender = sender
demo-lesson7-receiver = receiver
demo-lesson7-relay = relay
demo-lesson7-keeps = keeps
demo-lesson7-passes = passes
demo-lesson7-drops = drops
demo-lesson7-kept = { $kept } of { $message }: the other { $lost } bytes are gone
demo-lesson7-nothing-more = { $ms } ms: nothing more arrives
demo-lesson7-no-reply = { $ms } ms: no reply; { $what_now }
demo-lesson7-passed = { $message } to the server, and its reply back
demo-lesson7-dropped = { $message } (on purpose)
demo-lesson7-cut-notice = On Linux, as here, recvfrom quietly returns the part that fit. On Windows the same call raises an error instead (WSAEMSGSIZE, 10040: the datagram was larger than the buffer), and the rest is thrown away there too. The lesson's server reads 1024 bytes at a time: a longer datagram is cut the same way, and its log says so.

# Lesson 8 (src/demo/files.rs).
demo-lesson8-intro = The server serves one folder (--root). Each request is a frame whose header names the action and the file; for a put, the file is the body. Each reply is a frame whose body is the file, a listing, or an error sentence, and whose header carries the body's md5.
demo-lesson8-part1 = What is there: list
demo-lesson8-part2 = Download: get
demo-lesson8-part3 = Upload: put
demo-lesson8-part4 = A damaged download, caught by the md5
demo-lesson8-part5 = A name that leads outside the folder
demo-lesson8-part6 = The tutorial's res += recv(1024) against a streaming read
demo-lesson8-notice = What to notice: the tutorial reads a whole file into memory, re-copying it on every recv, never checks the md5, and writes under the real name as the bytes come. Here the body streams to a temporary file, the md5 is computed on the way and compared at the end, and only a whole, matching file is renamed to its name. The md5 comes in the header, before the body, so whoever sends a file must read it twice: once to hash it, once to send it.
demo-lesson8-client = client
demo-lesson8-checks = checks
demo-lesson8-renames = renames
demo-lesson8-hashes = hashes
demo-lesson8-computes = computes
demo-lesson8-says = says
demo-lesson8-keeps = keeps
demo-lesson8-streams = streams
demo-lesson8-compares = compares
demo-lesson8-list-request = {"{"}"action": "list"{"}"}, no body
demo-lesson8-list-notice = The listing is the reply's body (JSON, one name and size per file); the client prints it one file a line.
demo-lesson8-get-received = { $bytes } bytes, header md5 { $md5 }
demo-lesson8-get-checked = md5 of what came: { $md5 }: match
demo-lesson8-get-renamed = the temporary file to a.txt: now it exists
demo-lesson8-get-notice = The body went from the socket to a temporary file beside a.txt, 256 KiB at a time, hashed on the way. Only when the last byte was in and the md5 matched the header's did the file get its name: until then, no a.txt existed to be read half-written.
demo-lesson8-put-hashed = b.txt first: md5 { $md5 }
demo-lesson8-put-sent = put b.txt, { $bytes } bytes, then the file
demo-lesson8-put-stored = stored: the server's md5 matched ({ $bytes } bytes)
demo-lesson8-put-notice = The header goes first and carries the md5, so the client read b.txt twice: once to hash it, once to send it. The server hashed the body as it arrived, into its own temporary file, and renamed it to b.txt only when the md5 matched.
demo-lesson8-damaged-intro = TCP does not damage bytes on loopback, so a stand-in server of the demo's own (not the lesson's) sends notes.txt with one byte flipped on purpose, under the header of the real file.
demo-lesson8-damaged-received = { $bytes } bytes, one of them flipped
demo-lesson8-damaged-computed = an md5 that is not the header's
demo-lesson8-damaged-kept = nothing: the temporary file is removed
demo-lesson8-damaged-notice = The tutorial's client would have written the damaged bytes under notes.txt and said nothing: its md5 field is a placeholder nobody checks.
demo-lesson8-an-error-reply = an error reply:
demo-lesson8-outside-notice = The server joins a name to its folder only after checking it: no `..`, no absolute path, no NUL byte, and no symlink that leads out. A server that opens whatever name it is sent would have served this file, and ../../etc/passwd too.
demo-lesson8-quadratic-intro = The tutorial's client receives a file into one bytes object: `res += recv(1024)`. Python's bytes cannot grow, so each += makes a new object and copies everything received so far into it. The demo does the same in Rust (a fresh Vec each time, the old bytes copied in), on the same file the lesson's client streams to disk.
demo-lesson8-tutorial-read = { $size }: { $ms } ms, 1024 bytes per recv
demo-lesson8-streaming-read = { $size }: { $ms } ms, to a temporary file, hashing on the way
demo-lesson8-ratio = 2 MiB took { $ratio } times as long as 1 MiB, the res += way
demo-lesson8-quadratic-notice = Each recv copies everything received before it once more, so twice the file means four times the bytes copied: the time grows with the square of the size, not with the size (how near the measured ratio comes to four depends on the machine). The streaming read touches each byte once and never holds more than 256 KiB of it.

# Lesson 9 (src/demo/chat.rs).
demo-lesson9-intro = A chat room: every member is a TCP connection, served by its own thread, as in lesson 4. The first line a member sends is its name; every line after that goes to every other member. A message is one line, ended by \n: the third cure for sticky packets (粘包), after lesson 6's length header. Here the members are the demo's scripted clients; nc or telnet can join the same way.
demo-lesson9-part1 = Three members join
demo-lesson9-part2 = One message, two writes
demo-lesson9-part3 = A member who never reads
demo-lesson9-part4 = Leaving
demo-lesson9-notice = What to notice: one line is one message however TCP cut it up, because the server reads up to the \n, not one recv at a time. And no member can stall the room: each has a writer thread and a queue of its own (1,024 lines at most), and a talker waits for a full queue only so long, so the one who stopped reading held alice up once, and was dropped.
demo-lesson9-join-notice = Each new member was told who was already there, and those already there heard that it joined.
demo-lesson9-as-in-part1 = alice, bob and carol join, as in part 1
demo-lesson9-half-a-line = nothing, half a line is not a message
demo-lesson9-to-the-others = nothing, a message goes to the others
demo-lesson9-two-writes-notice = Carol's two writes became one message, because the server collects bytes until the \n. ncat's own chat mode (ncat --chat) does not: it puts its <user5> label in front of whatever each recv returned, so the same two writes can come out as "<user5> hel<user5> lo, everyone".
demo-lesson9-never-reads-again = and never reads again
demo-lesson9-flood-sent = { $lines } lines of { $bytes } bytes, 10 MB
demo-lesson9-flood-heard = all { $lines } of them, and { $notice }
demo-lesson9-never-reads-notice = Dave's queue filled up ({ $queue } lines, behind the kernel's buffers for his socket) while bob and carol read everything. Then alice's thread waited for room in dave's queue, { $seconds } seconds at most, and got none: dave had stopped reading. The server dropped him, told him why and told the rest, and alice went on. A member who reads slowly is waited for instead: it slows the talker down, and is not dropped.
demo-lesson9-leaving-notice = Leaving needs no message of its own: the server's read returned 0 bytes, the end of the stream, as in lesson 3, and the room told everyone who was left. A reset or a line the wire refuses (over 1,000 bytes, or not UTF-8) ends a member the same way.

# Lesson 10 (src/demo/robot.rs).
demo-lesson10-intro = The tutorial's customer-service robot: the server speaks first, then answers each message from wherever the caller is in its menu. Every message is a lesson 6 frame, so every reply arrives whole, and each caller has a menu of its own.
demo-lesson10-part1 = A whole call, through both levels
demo-lesson10-part2 = A key the menu does not know
demo-lesson10-part3 = Two callers at once
demo-lesson10-part4 = A caller who says nothing
demo-lesson10-part5 = The server stops (Ctrl-C)
demo-lesson10-notice = What to notice: the robot's state (which menu a caller is in) lives in one value per connection, so callers never see each other's place. And a conversation needs a clock on both ends: the robot hangs up on a caller who has gone quiet, and the client (--timeout, the tutorial's settimeout(5)) gives up on a robot that says nothing.
demo-lesson10-whole-call-notice = Each reply is one frame, read whole, whatever its length. The last one carries "hang_up": true in its header, so the client knows the call is over without guessing from a silence.
demo-lesson10-unknown-key-notice = The same 0 that transfers to a human in the main menu means nothing in the queries menu: the answer depends on where the caller is, which the robot remembers.
demo-lesson10-two-callers-notice = Both pressed 1. A was in the queries and heard its balance; B was talking to a human, who noted the 1 down. Each connection's thread has its own Call.
demo-lesson10-silent-intro = A second robot, started as `lesson10 server --idle { $seconds }`, so that we need not wait the default minute. Caller C hears the welcome, and says nothing.
demo-lesson10-silent-notice = The robot's read timeout is its idle limit: a read that gets not one byte for that long fails, and the robot says goodbye and hangs up. A caller who keeps talking is never idle, however long the call.
demo-lesson10-stops-intro = Another robot of the demo's own, stopped while caller D is in the queries menu, as Ctrl-C stops `lesson10 server`.
demo-lesson10-stops-notice = Stopping, the server closes only the reading side of each call, so the robot can still say goodbye before it hangs up; then it waits for every call's thread.
demo-lesson10-caller = caller { $name }
demo-lesson10-calls = calls
demo-lesson10-says = says
demo-lesson10-hears = hears
demo-lesson10-sees = sees
demo-lesson10-says-nothing = and says nothing
demo-lesson10-hung-up = the end of the stream: the robot hung up

# Lesson 11 (src/demo/socket_options.rs).
demo-lesson11-no-errno = no errno ({ $kind })
demo-lesson11-intro = Eight experiments with the options behind the tutorial's happy path. Each one does the thing on real sockets and prints what the kernel answered; the tests run the same functions and check the same answers.
demo-lesson11-part1 = Address already in use (SO_REUSEADDR)
demo-lesson11-part2 = The backlog: listen(N) (半连接池)
demo-lesson11-part3 = Timeouts and blocking (settimeout, setblocking)
demo-lesson11-part4 = Refused: connect_ex and an error as a value
demo-lesson11-part5 = Names: getsockname and getpeername
demo-lesson11-part6 = Short writes: send versus sendall
demo-lesson11-part7 = Nagle, TCP_NODELAY and SO_LINGER 0
demo-lesson11-part8 = The same echo over IPv6 and AF_UNIX
demo-lesson11-notice = What to notice: every one of these is a number the kernel gave back, not a rule of thumb. `lesson11 server` takes each option as a flag (see --help), so you can repeat any experiment by hand, and it protects itself: --max-clients, --idle and --write-timeout.
demo-lesson11-succeeds = succeeds
demo-lesson11-fails = fails: errno { $errno }
demo-lesson11-reuse-intro = A server accepts a client, then closes first; the client closes after it. The side that closes first keeps the connection in TIME_WAIT, on the server's own port, so that late packets of the old connection cannot be taken for a new one.
demo-lesson11-yes = yes
demo-lesson11-no = no
demo-lesson11-in-time-wait = server side of the connection in TIME_WAIT (/proc/net/tcp): { $listed }
demo-lesson11-no-proc = (TIME_WAIT is not listed here: /proc/net/tcp is Linux's)
demo-lesson11-bind-without = bind { $addr } without SO_REUSEADDR: { $outcome }
demo-lesson11-bind-with = bind { $addr } with SO_REUSEADDR:    { $outcome }
demo-lesson11-bind-std = std's TcpListener::bind:          { $outcome }
demo-lesson11-reuse-notice = That errno is the FAQ's "Address already in use", and setsockopt(SO_REUSEADDR) is its cure. Rust's std never shows the problem on Unix: TcpListener::bind sets SO_REUSEADDR for you. On Windows it does not, because there the option means more: it lets a second socket bind a port another is listening on (Windows has SO_EXCLUSIVEADDRUSE against that). `lesson11 server --no-reuse-address` runs without it.
demo-lesson11-backlog-intro = A listener calls listen({ $asked }) and never accepts; { $clients } clients connect at once. The kernel finishes handshakes without the program: each finished connection waits in the accept queue (全连接队列) until accept takes it.
demo-lesson11-accept-queue = listener: accept queue { $queued }, limit { $limit } (TCP_INFO)
demo-lesson11-clients-states = clients: { $done } ESTABLISHED, { $waiting } still in SYN_SENT
demo-lesson11-backlog-numbers = Linux let limit + 1 = { $queued } connections in (the queue is full when it is longer than the limit). The other { $waiting } clients' SYNs were dropped: they send them again a second later, then after 2, 4, 8 seconds..., and connect() just takes longer. `ss -ltn` shows the same two numbers as Recv-Q and Send-Q.
demo-lesson11-no-tcp-info = (the queue's numbers come from Linux's TCP_INFO: not on this system)
demo-lesson11-backlog-notice = The tutorial calls the backlog 半连接池, the pool of half-open connections. On Linux that is a second queue: the SYN queue (半连接队列) holds handshakes not yet finished. The backlog of listen() limits the accept queue of finished ones.
demo-lesson11-timeouts-intro = A client reads from a server that says nothing, twice.
demo-lesson11-settimeout = settimeout(0.2), then recv:
demo-lesson11-setblocking = setblocking(False), then recv:
demo-lesson11-after = after { $took }: { $kind }, errno { $errno }
demo-lesson11-timeouts-notice = Both are the same errno (EAGAIN: "try again"); Python raises socket.timeout for the first and BlockingIOError for the second. A server uses the first as an idle timeout (lesson 11's --idle hangs up on a silent client) and the second to watch many sockets from one thread, coming back when the kernel says there is data.
demo-lesson11-connect-closed = connect to { $addr }, where nobody listens:
demo-lesson11-error = { $kind }, errno { $errno }
demo-lesson11-refused-notice = connect() raises; connect_ex() returns that number instead. In Rust it is a value anyway: an Err to match on, not a crash. The tutorial's 10061 is the same refusal on Windows (WSAECONNREFUSED); Linux numbers it 111, macOS 61.
demo-lesson11-names-intro = A listener binds port 0, which asks the kernel for any free port; a client connects (and gets an ephemeral port of its own, without bind).
# The five names, one line each (the demo prints each line of it as a line).
demo-lesson11-names =
    listener    getsockname: { $listener }
    client      getsockname: { $client_local }
    client      getpeername: { $client_peer }
    server side getsockname: { $server_local }
    server side getpeername: { $server_peer }
demo-lesson11-names-notice = Each end's sockname is the other's peername. The accepted socket has the listener's port: a connection is named by both ends' addresses, so one port serves them all.
demo-lesson11-short-intro = A nonblocking client writes 8 MiB to a peer that is not reading. The kernel takes what fits in the buffers on both sides (asked for 64 KiB each here: SO_SNDBUF, SO_RCVBUF), and no more.
demo-lesson11-send-took = send: took { $took } bytes of { $asked }
demo-lesson11-next-sends = the next { $sends } send(s): { $more } bytes more, { $taken } in all
demo-lesson11-send-again = send again: { $kind }, errno { $errno }
demo-lesson11-sendall = the peer reads; sendall sends the rest: { $bytes } bytes arrive
demo-lesson11-short-notice = send returns how much it took, which may be less than asked: the program must send the rest itself. sendall (Rust's write_all) is that loop. A blocking socket waits for room instead of saying EAGAIN, which is why a server needs a write timeout (--write-timeout) against a client that never reads.
demo-lesson11-nagle-intro = A client sends { $requests } requests, each as two small writes (header, then body), and waits for each answer.
demo-lesson11-nagle-on = Nagle on (the default): { $took } per request
demo-lesson11-nodelay = TCP_NODELAY:            { $took } per request
demo-lesson11-nagle-notice = With Nagle's algorithm the second small write waits until the first is acknowledged, and the server delays its ACK (up to 40 ms on Linux) hoping to send it with an answer, which it cannot send before the body. Write the request in one write, or set TCP_NODELAY (--nodelay).
demo-lesson11-linger = client sets SO_LINGER to 0 and closes; the server reads:
demo-lesson11-no-reset = { $bytes } bytes (no reset)
demo-lesson11-linger-notice = A close with SO_LINGER 0 throws away what was not sent and sends a reset (RST) instead of the goodbye (FIN). That is what "connection reset by peer" is: the other side's kernel said this connection no longer exists.
demo-lesson11-families-intro = Lesson 11's own server and client, unchanged, over three address families: only the address differs.
demo-lesson11-ipv6 = AF_INET6 [::1]: the client prints { $reply }
demo-lesson11-no-ipv6 = AF_INET6 skipped: no IPv6 loopback here ({ $error })
demo-lesson11-unix = AF_UNIX lesson11.sock: the client prints { $reply }
demo-lesson11-no-unix = AF_UNIX skipped: Unix domain sockets need a Unix system
demo-lesson11-families-notice = A Unix domain socket is a name in the file system, not a port: no IP, no TCP, only this machine. Try `lesson11 server --unix /tmp/l11.sock` and `lesson11 client --unix /tmp/l11.sock`.

# Lesson 12 (src/demo/pool.rs).
demo-lesson12-intro = The server starts { $workers } worker threads (--workers { $workers }) and lets { $queue } more client wait for one (--queue { $queue }). A worker serves one client for as long as it stays; the accept loop starts no thread at all.
demo-lesson12-part1 = A flood costs no thread each
demo-lesson12-part2 = Head-of-line blocking (队头阻塞)
demo-lesson12-notice = What to notice: a pool bounds what a flood costs (threads, memory), and turns the clients beyond it away in one line. But a worker belongs to its client until the client leaves: two idle clients were enough to keep a third waiting, however little it asked. Lesson 13 serves every client from one thread that never waits for any of them.
demo-lesson12-flood-intro = { $clients } clients connect, one after another, and stay; each sends one message.
demo-lesson12-answered = answered by a worker:  { $count }
demo-lesson12-waiting = waiting in the queue:  { $count }   (no reply within { $ms } ms)
demo-lesson12-busy = told busy and closed:  { $count }
demo-lesson12-threads = threads in this process: { $first } with the first client, { $during } with all { $clients }
demo-no-thread-count = (this system does not say how many threads a process has)
demo-lesson12-flood-notice = Lesson 4 would have started { $clients } threads, one for each client, and a flood of thousands runs it out of address space (lesson 11 measured it). Here the threads were started with the server and stay as many: the demo itself and its log writer, the server's accept loop, its shutdown watcher and the { $workers } workers. A client the pool cannot hold is told so, as by lesson 11's cap, and costs nothing more.
demo-lesson12-c-queued = no reply: A and B hold both workers, C is queued
demo-lesson12-busy-line = "busy: …" (lesson 11's busy line)
demo-lesson12-head-of-line-notice = C asked for very little, and waited anyway: not for the machine, for A, who was saying nothing at all. That is head-of-line blocking. The Rust Book's pool has the same fault, with a browser's slow request in place of A. More workers only move the line (N idle clients stall the N+1st), and lesson 11's --idle timeout only shortens the wait.

# Lesson 13 (src/demo/event_loop.rs).
demo-lesson13-intro = One thread serves every client: its sockets are nonblocking, and the loop asks the kernel which of them are ready (epoll, through mio), then reads and answers those. In this demo its handler has one change: a message "slow" is answered only when the demo says so, as if it took a long computation.
demo-lesson13-part1 = Ten thousand idle clients, one thread
demo-lesson13-part2 = One slow handler holds up everyone
demo-lesson13-notice = What to notice: one thread held the clients that lessons 4 and 12 would give a thread each, or make wait. But the one thread is everyone's: while it was busy with A, it answered nobody, and accepted nobody. A real server keeps its handlers short, and sends the slow work elsewhere (a pool, as in lesson 12), to be told when it is done.
demo-lesson13-idle-intro = { $clients } clients connect and each sends one message; then they all stay, saying nothing.
demo-lesson13-answered = answered: { $answered } of them
demo-lesson13-threads = threads in this process: { $before } before they came, { $during } with all of them connected
demo-lesson13-descriptors = (Both ends of every connection are in this one process, so each client costs it two file descriptors, and it may open { $limit } files (`ulimit -n`): the demo connects as many clients as that leaves room for, up to { $idle }. `cargo bench --bench many_clients` holds { $idle } with the clients in a process of their own.)
demo-lesson13-idle-notice = The threads are the demo's own two (its main thread and its log writer), the server's loop and its shutdown watcher, however many clients come: an idle client costs the loop a socket and a few bytes of bookkeeping (its token, its address, an empty buffer), not a thread and its stack.
demo-lesson13-b-waits = no reply: the loop is busy with A's "slow"
demo-lesson13-c-waits = no reply: nobody has even accepted C
demo-lesson13-goes-on = the demo lets A's handler finish; the loop goes on
demo-lesson13-slow-notice = B and C asked for nothing slow, and still waited for A: everything on the loop's thread happens one thing at a time. In lesson 4 each of them had a thread of its own, and A's slowness cost only A.

# The --html page (src/demo/html.rs): what the page says that the terminal did not.
demo-html-lang = en
demo-html-legend = How to read the figures. A conversation: two lanes per client, what it wrote and what it read, one box per write() and per read(), left to right in the order they happened; up to 24 bytes a box is one column per byte and shows every byte (a newline as ↵, any other unprintable byte as ·); a longer one grows by a column each time its length doubles, and shows its length and its ends. A stream picture: one stream of bytes, cut the way each side saw it, one lane per side; each message has its colour and its pattern, so a read that shows several is a read that holds several messages (粘包). Point at a box to see all its bytes.
demo-html-part = Part

# The figures (src/demo/svg.rs): every word a drawing adds.
demo-svg-writes = writes
demo-svg-reads = reads
demo-svg-connects = connects
demo-svg-refused = refused
demo-svg-closes = closes
demo-svg-resets = resets (RST)
demo-svg-shuts = shuts its sending side
demo-svg-end-of-stream = end (0 bytes)
demo-svg-reset-by-peer = reset by the peer
demo-svg-read-fails = read fails
demo-svg-write-fails = write fails
demo-svg-nothing-for = ms: nothing
demo-svg-server-starts = the server starts reading
demo-svg-server-stopped = Ctrl-C
demo-svg-server-exits = the server exits
demo-svg-server-stays = the server has not exited
demo-svg-in-writes = writes
demo-svg-in-reads = reads
demo-svg-bytes = B
demo-svg-more-bytes = more bytes
demo-svg-stream-title = One stream of bytes, cut where each side wrote and read
demo-svg-conversation-title = Every write and every read, in the order they happened

## grade (src/grade/): case titles, verdicts, hints, the report

## compare (src/compare/): rows and cells

## learn (src/learn/): the runner's output

## chaos and netassist (src/chaos/, src/netassist/)

## course (src/bin/course.rs): the course map and reset
