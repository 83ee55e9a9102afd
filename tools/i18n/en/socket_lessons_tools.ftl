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

## compare (src/compare/): rows and cells

## learn (src/learn/): the runner's output

## chaos and netassist (src/chaos/, src/netassist/)

## course (src/bin/course.rs): the course map and reset
