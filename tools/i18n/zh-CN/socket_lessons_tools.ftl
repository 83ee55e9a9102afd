# 工具中的句子，简体中文版（tools/src/i18n.rs）。这里的每条消息都与
# ../en/socket_lessons_tools.ftl 中的一条一一对应：同样的 id，同样的参数（有测试检查）。

tools-language-name = 简体中文

## 课程的命令行（src/cli.rs）：--help、状态行、错误

cli-help-lang = 使用的语言：en（English）或 zh（简体中文）。不给时由系统的 locale 决定（LANG=zh_CN.UTF-8 时说中文），否则说英文

## 演示（src/demo/）：解说、图的说明文字、逐步提示

# 演示的运行器（src/demo/mod.rs）：标题、结尾的旁注、逐步提示、错误。
demo-heading = { $bin } — { $bin ->
        [lesson1] 最基础版本
        [lesson2] 加入链接循环
        [lesson3] 加入通信循环
        [lesson4] 支持并发
        [lesson5] 粘包现象
        [lesson6] 固定长度报头（解决粘包：初级版 → 终极版）
        [lesson7] UDP（基于 UDP 的套接字）
        [lesson8] 文件传输（TCP下载文件 / 上传）
        [lesson9] 聊天室（TCP 聊天室）
        [lesson10] 10086 菜单机器人（实例: 智能机器人）
        [lesson11] 套接字选项（套接字选项, 半连接池, 超时）
        [lesson12] 线程池
        [lesson13] 一个线程，许多套接字（I/O 多路复用）
       *[other] { $title }（{ $step }）
    }
demo-listening = （服务端在 { $addr } 上监听）
demo-server-log-aside = （服务端把日志写到标准错误：用 RUST_LOG=info cargo run --bin { $bin } 查看。）
demo-step-prompt = [回车：下一部分]
demo-no-demo-yet = 这一阶段还没有演示。
demo-error-no-such-part = 没有第 { $asked } 部分：{ $bin } 的演示有 { $parts }
demo-error-one-part = 1 个部分（--part 1）
demo-error-parts = { $parts } 个部分（--part 1 到 { $parts }）
demo-error-failed = 演示失败：{ $error }

# 逐条解说（src/demo/replay.rs）：谁做了什么。动词会被补齐到 10 列宽。
demo-replay-client = 客户端 { $name }
demo-replay-connects = { $who } 连上服务端
demo-replay-joins = 加入
demo-replay-sends = 发送
demo-replay-receives = 收到
demo-replay-waits = 等待
demo-replay-quits = 退出
demo-replay-leaves = 离开
demo-replay-resets = 重置
demo-replay-shuts = 关闭
demo-replay-lines = { $lines } 行
demo-replay-closes-its-connection = （关闭它的连接）
demo-replay-bytes-in-reads = { $bytes } 字节，分 { $reads } 次读到
demo-replay-bytes-in-writes = { $bytes } 字节，分 { $writes } 次写出
demo-replay-refused = { $who } 尝试连接：连接被拒绝，没有人在监听
demo-replay-cannot-connect = { $who } 尝试连接：{ $error }
demo-replay-frame = 帧 { $body }
demo-replay-frame-in-writes = 帧 { $body }，分 { $writes } 次写出
demo-replay-write-fails = { $bytes }：写失败（{ $error }）
demo-replay-md5-ok = md5 正确
demo-replay-md5-absent = 没有 md5
demo-replay-md5-wrong = md5 不对
demo-replay-frame-received = { $bytes } 字节，{ $md5 }：{ $body }
demo-replay-empty-datagram = { $bytes }（空数据报：0 字节，也是一个回复）
demo-replay-counted-read = { $bytes } 字节：{ $ends }
demo-replay-silence = { $ms } ms：{ $why }
demo-replay-hung-up = 什么也没有：服务端挂断了
demo-replay-read-fails = 一个错误：{ $error }
demo-replay-linger-zero = （以 SO_LINGER 0 关闭）
demo-replay-sending-side = 自己的发送方向（服务端会读到结束）
demo-replay-server-starts = 服务端开始干活
demo-replay-interrupted = 服务端被停止（Ctrl-C）
demo-replay-exits = 服务端在 { $ms } ms 后退出
demo-replay-exits-failing = 服务端在 { $ms } ms 后退出，以失败告终
demo-replay-does-not-exit = 过了 { $ms } ms，服务端还没有退出

# 第 1–4 课（src/demo/scripts.rs）。
demo-lesson1-intro = 服务端依次调用 socket、bind、listen 和 accept，然后读一条消息，把它转成大写发回去，就退出了。
demo-lesson1-server-exited = 服务端处理完它唯一的一条消息，退出了
demo-lesson1-notice = 要注意的是：服务端只服务了一个客户端，而且只服务了一次。第二个客户端没有人应答。第 2 课在 accept 外面加一个循环。还要注意，“你好”原样回来了：只有 ASCII 字母会被转成大写。
demo-lesson2-intro = 服务端现在在 accept 外面套了一个循环（链接循环）：服务完一个客户端，就等下一个。
demo-lesson2-notice = 要注意的是：第二个客户端也得到了服务，说明链接循环起作用了。但每个连接只能发一条消息：A 的第一条消息之后，服务端就挂断了。第 3 课在 recv 外面加一个循环。
demo-lesson3-intro = 服务端现在在 recv 外面也套了一个循环（通信循环）：一个客户端可以发很多条消息，直到它关闭连接（recv 返回 0 字节）。
demo-lesson3-b-waits = 没有回复：A 在被服务，B 在半连接池里等着
demo-lesson3-notice = 要注意的是：A 完成了一整段对话。B 其实一直连着（内核已经替它完成握手，把它放进了 backlog，也就是半连接池），可是直到 A 离开才得到回复，因为服务端一次只服务一个客户端。第 4 课给每个客户端一个自己的线程。
demo-lesson4-intro = 现在每个客户端都有自己的线程（支持并发），谁也不用等谁。
demo-lesson4-notice = 要注意的是：A 还连着的时候 B 就得到了回复，这和第 3 课不同。仍然没解决的是：到目前为止的每个阶段都假定一次 recv 恰好返回一条完整的消息。第 5 课会告诉你，TCP 从来没有这样承诺过。

# 字节流图中各行的名字（src/demo/picture.rs，由 sticky.rs 和 udp.rs 画出）。
demo-picture-client-writes = 客户端写
demo-picture-server-reads = 服务端读
demo-picture-server-writes = 服务端写
demo-picture-client-reads = 客户端读
demo-picture-read-frame-asks = read_frame 要读
demo-picture-len = 长度
demo-picture-header = 报头
demo-picture-body = 正文

# 第 5 课（src/demo/sticky.rs）。
demo-empty-reply = 空回复
demo-lesson5-intro = 一个远程执行命令的服务端（可以试试 'help'、'echo TEXT'、'seq N'）。和教程一样，它相信一次 recv(1024) 恰好返回一条命令，客户端也相信一次 recv(1024) 恰好返回一条回复。这两件事 TCP 都没有承诺过。看看两边是怎么出错的。
demo-lesson5-part1 = 发送方：请求粘在了一起
demo-lesson5-part2 = 接收方：一条回复比一次读到的多
demo-lesson5-notice = 要注意的是：TCP 保证字节的顺序，却不保留消息的边界。“读大约 1024 个字节，然后祈祷”算不上协议。第 6 课先发长度，放在一个固定长度的报头里，这样读的一方总能知道一条消息在哪里结束。
demo-lesson5-glued-intro = 服务端暂时很忙（在这个演示里，它只是还没开始读，代表一个正忙着别的事的服务端）。这时客户端 A 写了三条命令，每条一次 write。
demo-lesson5-server-reads-once = 服务端开始干活，调用了一次 recv(1024)
demo-lesson5-three-messages = 三条消息
demo-lesson5-one-read = 一次读到三条消息：粘包
demo-lesson5-glued-notice = 服务端只执行了一条命令：'echo aecho becho c'，它的回复就是证据。写入的边界没有随字节一起传过去：接收缓冲区里只有一条字节流。
demo-lesson5-long-intro = 'seq 1000' 输出 3893 字节；客户端一次最多读其中的 1024 字节。
demo-lesson5-not-the-reply = ^ 这不是 'echo hi' 的回复：它还是 seq 1000 的输出
demo-lesson5-reply-to-seq = seq 1000 的回复：3893 B
demo-lesson5-two-replies = 两条回复
demo-lesson5-read-n = 第 { $n } 次读：1024 B
demo-lesson5-the-rest-waits = 其余的还在 A 的接收缓冲区里等着
demo-lesson5-reads-on = 接着读
demo-lesson5-more-bytes = 又读到 { $bytes } 字节，结尾是 { $ending }
demo-lesson5-long-notice = 这 1848 字节里，先是 'seq 1000' 剩下的 1845 字节，然后才是 'hi\n' 的 3 字节：'echo hi' 的回复排在了最后。之后的每条回复都会错开一条：这段对话从此再也对不上了。
demo-lesson5-empty-intro = 'seq 0' 什么也不输出，所以服务端什么也不发。
demo-lesson5-no-reply-ever = 没有回复，而且永远不会有
demo-lesson5-empty-notice = 等 'seq 0' 回复的客户端会永远等下去。

# 第 6 课（src/demo/sticky.rs）。
demo-lesson6-intro = 还是同样的命令服务，只是现在每条消息都作为一个帧传输：先是 4 个字节，给出报头的长度；然后是 JSON 报头，给出正文的长度和 md5；最后是正文。读的一方恰好读 4 个字节，恰好读完报头，恰好读完正文：它从来不用猜。
demo-lesson6-first-version = 'echo a' 按教程的初级版放到线路上（正文的长度，正文）：
demo-lesson6-final-version = 按终极版放到线路上（报头的长度，报头，正文）：
demo-lesson6-why-json = 光有长度（初级版）就已经不用再猜了，可它永远只能说一件事。JSON 报头能说得更多（这里是 md5；后面的课里还有文件名），而读的一方会忽略它不认识的字段。下面用第 5 课的手段再折腾一遍。
demo-lesson6-part1 = 粘在一起的请求
demo-lesson6-part2 = 先来一个大回复，再来一个小回复
demo-lesson6-part3 = 一个请求，拆成很小的碎片一点点发
demo-lesson6-notice = 要注意的是：无论是粘在一起、被拆开还是空的，每条消息都完整地、单独地到达了。长度走在数据前面，所以读的一方永远不用猜；md5 确认正文就是报头承诺的那一个。后面的课都建立在这个帧之上。
demo-lesson6-glued-intro = 服务端又忙了（还没开始读），这时客户端 A 接连写了三个请求帧。
demo-lesson6-frame-label = 帧：{ $body }
demo-lesson6-three-frames = 三个帧，首尾相接
demo-lesson6-each-part = 依次恰好读完每一部分
demo-lesson6-glued-notice = 三条命令，三条回复。这些帧和第 5 课一样是粘在一起到达的，但服务端每次都恰好读到一个帧的结尾就停下，因为报头说了结尾在哪里。
demo-lesson6-big-intro = 'seq 1000' 的回复有 3893 字节。
demo-lesson6-reply-frame = 回复帧：seq 1000
demo-lesson6-two-reply-frames = 两个回复帧
demo-lesson6-big-notice = 没有剩下的：'echo hi' 收到的就是 'hi'。即使是 { $bytes } 字节的回复，也完整地到达了，md5 也核对过。
demo-lesson6-dribbled-intro = 客户端 A 写一个帧，每次只写 5 个字节，每一片都立刻交给 TCP（关掉了 Nagle 算法）。
demo-lesson6-message = 消息
demo-lesson6-one-request-frame = 一个请求帧
demo-lesson6-many-writes = 一个帧，很多次写
demo-lesson6-until-complete = 每一部分都读到完整为止
demo-lesson6-empty-intro = 'seq 0' 什么也不输出，这仍然是一个帧。

# 第 7 课（src/demo/udp.rs）。
demo-lesson7-intro = UDP 没有 listen，没有 accept，也没有连接。服务端就是一个套接字加一个循环：recvfrom(1024) 返回一个数据报和发送它的地址，sendto 把回复发回那个地址。
demo-lesson7-part1 = 三个数据报，接连发出
demo-lesson7-part2 = 被截断
demo-lesson7-part3 = 空数据报
demo-lesson7-part4 = 两个客户端，一个循环，没有线程
demo-lesson7-part5 = 丢了一个数据报
demo-lesson7-notice = 要注意的是：教程说“UDP永远不会粘包”。这没错，但只说对了一半：数据报还可能被截断、丢失、重复或乱序，而且没有人会发现，也没有人会重发。TCP 替你做了这些事；用 UDP，程序只能自己做。
demo-lesson7-three-intro = 和第 5 课一样，服务端暂时很忙（它只是还没开始读），这时客户端 A 发了三条消息，每条一次 sendto。
demo-lesson7-server-starts = 服务端开始干活：每个数据报一次 recvfrom(1024)
demo-lesson7-client-sends = 客户端发送
demo-lesson7-three-datagrams = 三个数据报
demo-lesson7-server-receives = 服务端接收
demo-lesson7-three-recvfroms = 三次 recvfrom：没有粘包
demo-lesson7-three-notice = 同样的安排，在第 5 课里把三条命令粘成了一次读。这里每次 recvfrom 恰好返回一个数据报：内核排队的是数据报，而不是字节，所以数据报的边界随它们一起到达。
demo-lesson7-empty-intro = 在第 3 课里，发送空消息不会往线路上放任何字节，而 recv 返回 0 字节意味着对端关闭了连接。UDP 没有连接可关：空数据报也是一条消息，它也会得到回复，同样是空的。
demo-lesson7-two-intro = A 还在的时候客户端 B 就发了消息，谁也不用等（第 3 课的第二个客户端要等第一个走了才行）。
demo-lesson7-two-notice = 同一个循环回答了两个客户端。看起来像是同时服务（并发），其实是一个数据报接一个数据报地服务：每一轮就是一次 recvfrom 加一次 sendto，几微秒就结束；两个数据报之间，没有哪个客户端占着服务端，因为根本没有连接可占。只要有一个回复慢了，大家就都得等。
demo-lesson7-lost-intro = 在回环地址上什么都不会丢，所以演示故意丢一个：客户端 A 现在通过一个中继发送。中继代表一个糟糕的网络，它把数据报转给服务端，再把回复转回来，只有第二个数据报被它扔掉了。
demo-lesson7-gives-up = 它放弃了 { $message }
demo-lesson7-lost-notice = 没有任何东西告诉 A "two" 丢了，也没有人重发它：UDP 不会重试。第 7 课的客户端和 A 做的一样：它等 --timeout 秒（默认 2 秒），说这个数据报或它的回复可能丢了，然后接着处理下一行。
demo-lesson7-cut-intro = 演示自己的一个接收方（不是这一课的服务端）用 1 字节的缓冲区调用 recvfrom(1)，接收同样的三个数据报。
demo-lesson7-sender = 发送方
demo-lesson7-receiver = 接收方
demo-lesson7-relay = 中继
demo-lesson7-keeps = 留下
demo-lesson7-passes = 转发
demo-lesson7-drops = 扔掉
demo-lesson7-kept = { $message } 只留下了 { $kept }：另外 { $lost } 字节没了
demo-lesson7-nothing-more = { $ms } ms：再也没有东西到达
demo-lesson7-no-reply = { $ms } ms：没有回复；{ $what_now }
demo-lesson7-passed = 把 { $message } 转给服务端，再把回复转回来
demo-lesson7-dropped = { $message }（故意的）
demo-lesson7-cut-notice = 在 Linux 上（比如这里），recvfrom 会悄悄返回装得下的那部分。在 Windows 上，同样的调用会报错（WSAEMSGSIZE，10040：数据报比缓冲区大），剩下的部分在那里也被扔掉了。这一课的服务端每次读 1024 字节：更长的数据报也会这样被截断，它的日志会说出来。

# 第 8 课（src/demo/files.rs）。
demo-lesson8-intro = 服务端提供一个文件夹（--root）。每个请求是一个帧，报头里写着动作和文件名；put 的时候，文件就是正文。每个回复也是一个帧，正文是文件、文件列表或一句错误说明，报头里带着正文的 md5。
demo-lesson8-part1 = 有什么：list
demo-lesson8-part2 = 下载：get
demo-lesson8-part3 = 上传：put
demo-lesson8-part4 = 下载的文件坏了，md5 发现了
demo-lesson8-part5 = 一个通向文件夹外面的文件名
demo-lesson8-part6 = 教程的 res += recv(1024)，对比流式读取
demo-lesson8-notice = 要注意的是：教程把整个文件读进内存，每次 recv 都把它重新复制一遍，从不校验 md5，而且字节一到就写进真正的文件名。这里，正文以流的方式写进临时文件，md5 边收边算、最后比对，只有完整且校验一致的文件才会被改成它的名字。md5 在报头里，走在正文前面，所以发送文件的一方必须把文件读两遍：一遍算 md5，一遍发送。
demo-lesson8-client = 客户端
demo-lesson8-checks = 校验
demo-lesson8-renames = 改名
demo-lesson8-hashes = 计算
demo-lesson8-computes = 算出
demo-lesson8-says = 报告
demo-lesson8-keeps = 保留
demo-lesson8-streams = 流式读
demo-lesson8-compares = 比较
demo-lesson8-list-request = {"{"}"action": "list"{"}"}，没有正文
demo-lesson8-list-notice = 文件列表就是回复的正文（JSON，每个文件一个名字和大小）；客户端每行打印一个文件。
demo-lesson8-get-received = { $bytes } 字节，报头里的 md5 是 { $md5 }
demo-lesson8-get-checked = 收到内容的 md5：{ $md5 }：一致
demo-lesson8-get-renamed = 把临时文件改名为 a.txt：现在它才存在
demo-lesson8-get-notice = 正文从套接字流进 a.txt 旁边的一个临时文件，每次 256 KiB，边收边算 md5。直到最后一个字节到齐、md5 和报头里的一致，文件才得到它的名字：在那之前，根本没有 a.txt，也就不会有人读到写了一半的文件。
demo-lesson8-put-hashed = 先算 b.txt：md5 { $md5 }
demo-lesson8-put-sent = put b.txt，{ $bytes } 字节，然后是文件本身
demo-lesson8-put-stored = 已保存：服务端算出的 md5 一致（{ $bytes } 字节）
demo-lesson8-put-notice = 报头先走，里面带着 md5，所以客户端把 b.txt 读了两遍：一遍算 md5，一遍发送。服务端边收正文边算 md5，写进它自己的临时文件，只有 md5 一致时才把它改名为 b.txt。
demo-lesson8-damaged-intro = 在回环地址上 TCP 不会弄坏字节，所以演示自己的一个替身服务端（不是这一课的）发送 notes.txt，故意翻转了其中一个字节，报头却是真文件的。
demo-lesson8-damaged-received = { $bytes } 字节，其中一个被翻转了
demo-lesson8-damaged-computed = 一个和报头里不同的 md5
demo-lesson8-damaged-kept = 什么也没留下：临时文件被删掉了
demo-lesson8-damaged-notice = 教程的客户端会把坏掉的字节写进 notes.txt，而且一声不吭：它的 md5 字段只是个摆设，没有人校验。
demo-lesson8-an-error-reply = 一个错误回复：
demo-lesson8-outside-notice = 服务端先检查文件名，再把它接到自己的文件夹后面：不许有 `..`，不许是绝对路径，不许有 NUL 字节，也不许有通向外面的符号链接。一个收到什么名字就打开什么的服务端，会把这个文件发出去，连 ../../etc/passwd 也会。
demo-lesson8-quadratic-intro = 教程的客户端把文件收进一个 bytes 对象：`res += recv(1024)`。Python 的 bytes 不能变长，所以每次 += 都会创建一个新对象，把目前收到的所有字节复制进去。演示用 Rust 做同样的事（每次一个新的 Vec，把旧的字节复制进去），用的是这一课的客户端以流的方式写到磁盘上的同一个文件。
demo-lesson8-tutorial-read = { $size }：{ $ms } ms，每次 recv 1024 字节
demo-lesson8-streaming-read = { $size }：{ $ms } ms，写进临时文件，边收边算 md5
demo-lesson8-ratio = 用 res += 的办法，2 MiB 花的时间是 1 MiB 的 { $ratio } 倍
demo-lesson8-quadratic-notice = 每次 recv 都要把之前收到的所有字节再复制一遍，所以文件大一倍，复制的字节就变成原来的四倍：时间随大小的平方增长，而不是随大小增长（测出来的倍数离 4 有多近，取决于机器）。流式读取每个字节只碰一次，手里从不超过 256 KiB。

# 第 9 课（src/demo/chat.rs）。
demo-lesson9-intro = 一个聊天室：每个成员是一个 TCP 连接，由它自己的线程服务，和第 4 课一样。成员发的第一行是它的名字；之后的每一行都会发给其他所有成员。一条消息就是一行，以 \n 结尾：这是继第 6 课的长度报头之后，治粘包的第三个办法。这里的成员是演示自己写好脚本的客户端；用 nc 或 telnet 也可以同样加入。
demo-lesson9-part1 = 三个成员加入
demo-lesson9-part2 = 一条消息，两次写
demo-lesson9-part3 = 一个从不读的成员
demo-lesson9-part4 = 离开
demo-lesson9-notice = 要注意的是：不管 TCP 怎么切分，一行就是一条消息，因为服务端一直读到 \n 为止，而不是一次 recv 算一条。而且没有哪个成员能把聊天室卡住：每个成员都有自己的写线程和自己的有界队列（最多 1,024 行），说话的人等一个满了的队列也只等一段时间，所以那个不再读的成员只拖住了 alice 一次，然后就被踢掉了。
demo-lesson9-join-notice = 每个新成员都被告知谁已经在了，已经在的成员也都听说它加入了。
demo-lesson9-as-in-part1 = alice、bob 和 carol 加入，和第 1 部分一样
demo-lesson9-half-a-line = 什么也没有，半行不算一条消息
demo-lesson9-to-the-others = 什么也没有，消息是发给别人的
demo-lesson9-two-writes-notice = carol 的两次写成了一条消息，因为服务端会一直收集字节，直到 \n。ncat 自己的聊天模式（ncat --chat）就不是这样：它把 <user5> 标签放在每次 recv 返回的内容前面，所以同样的两次写可能变成 "<user5> hel<user5> lo, everyone"。
demo-lesson9-never-reads-again = 然后再也不读了
demo-lesson9-flood-sent = { $lines } 行，每行 { $bytes } 字节，共 10 MB
demo-lesson9-flood-heard = 全部 { $lines } 行，还有 { $notice }
demo-lesson9-never-reads-notice = bob 和 carol 把所有内容都读完了，而 dave 的队列满了（{ $queue } 行，排在内核为他的套接字准备的缓冲区后面）。于是 alice 的线程在 dave 的队列前等空位，最多等 { $seconds } 秒，却一个也没等到：dave 已经不再读了。服务端把他踢掉，告诉他原因，也告诉了其他人，alice 接着说话。读得慢的成员则会被等：它让说话的人慢下来，但不会被踢掉。
demo-lesson9-leaving-notice = 离开不需要专门的消息：服务端的读返回了 0 字节，也就是字节流的结尾，和第 3 课一样，聊天室就告诉剩下的每个人。重置（RST），或者一行线路不接受的内容（超过 1,000 字节，或者不是 UTF-8），也会同样结束一个成员。

# 第 10 课（src/demo/robot.rs）。
demo-lesson10-intro = 教程里的客服机器人：服务端先开口，然后根据来电者在菜单里的位置回答每条消息。每条消息都是第 6 课的帧，所以每个回复都完整到达，而且每个来电者都有自己的菜单。
demo-lesson10-part1 = 一次完整的通话，走遍两级菜单
demo-lesson10-part2 = 菜单不认识的按键
demo-lesson10-part3 = 两个来电者同时打进来
demo-lesson10-part4 = 一个不说话的来电者
demo-lesson10-part5 = 服务端停止（Ctrl-C）
demo-lesson10-notice = 要注意的是：机器人的状态（来电者在哪个菜单里）存在每个连接各自的一个值里，所以来电者永远看不到彼此的位置。而且一段对话两头都需要一个钟：机器人会挂断不再说话的来电者，客户端（--timeout，也就是教程里的 settimeout(5)）也会放弃一个什么都不说的机器人。
demo-lesson10-whole-call-notice = 每个回复都是一个帧，不管多长都完整读到。最后一个帧的报头里带着 "hang_up": true，所以客户端不用从沉默里去猜，就知道通话结束了。
demo-lesson10-unknown-key-notice = 同一个 0，在主菜单里是转人工，在自助查询菜单里却什么也不是：回答取决于来电者在哪里，而这由机器人记着。
demo-lesson10-two-callers-notice = 两个人都按了 1。A 在自助查询里，听到了话费余额；B 在和人工客服说话，客服把这个 1 记了下来。每个连接的线程都有自己的 Call。
demo-lesson10-silent-intro = 第二个机器人，用 `lesson10 server --idle { $seconds }` 启动，这样就不用等默认的一分钟了。来电者 C 听到欢迎语，然后一句话也不说。
demo-lesson10-silent-notice = 机器人的读超时就是它的空闲超时：一次读在这么长时间里一个字节也没读到，就会失败，机器人于是说再见并挂断。一直在说话的来电者永远不会空闲，不管通话有多长。
demo-lesson10-stops-intro = 演示自己的另一个机器人，在来电者 D 待在自助查询菜单里的时候被停止，就像 Ctrl-C 停止 `lesson10 server` 那样。
demo-lesson10-stops-notice = 停止的时候，服务端只关闭每个通话的读方向，所以机器人在挂断之前还能说声再见；然后它等每个通话的线程结束。
demo-lesson10-caller = 来电者 { $name }
demo-lesson10-calls = 拨打
demo-lesson10-says = 说
demo-lesson10-hears = 听到
demo-lesson10-sees = 看到
demo-lesson10-says-nothing = 一句话也不说
demo-lesson10-hung-up = 字节流的结尾：机器人挂断了

# 第 11 课（src/demo/socket_options.rs）。
demo-lesson11-no-errno = 没有 errno（{ $kind }）
demo-lesson11-intro = 八个实验，看看教程一路顺利的背后那些选项。每个实验都在真实的套接字上做一遍，打印内核的回答；测试运行同样的函数，检查同样的回答。
demo-lesson11-part1 = 地址已被占用（SO_REUSEADDR）
demo-lesson11-part2 = backlog：listen(N)（半连接池）
demo-lesson11-part3 = 超时和阻塞（settimeout、setblocking）
demo-lesson11-part4 = 被拒绝：connect_ex，以及把错误当作一个值
demo-lesson11-part5 = 名字：getsockname 和 getpeername
demo-lesson11-part6 = 写不完：send 对比 sendall
demo-lesson11-part7 = Nagle、TCP_NODELAY 和 SO_LINGER 0
demo-lesson11-part8 = 同样的回显，走 IPv6 和 AF_UNIX
demo-lesson11-notice = 要注意的是：这些都是内核给回来的数字，而不是经验之谈。`lesson11 server` 把每个选项都做成了一个参数（见 --help），所以每个实验你都可以亲手再做一遍；它也会保护自己：--max-clients、--idle 和 --write-timeout。
demo-lesson11-succeeds = 成功
demo-lesson11-fails = 失败：errno { $errno }
demo-lesson11-reuse-intro = 服务端接受一个客户端，然后先关闭；客户端在它之后关闭。先关闭的一方会让这个连接停留在 TIME_WAIT 状态，占着服务端自己的端口，这样旧连接迟到的包就不会被当成新连接的。
demo-lesson11-yes = 是
demo-lesson11-no = 否
demo-lesson11-in-time-wait = 连接的服务端一侧处于 TIME_WAIT（/proc/net/tcp）：{ $listed }
demo-lesson11-no-proc = （这里列不出 TIME_WAIT：/proc/net/tcp 是 Linux 才有的）
demo-lesson11-bind-without = 不带 SO_REUSEADDR bind { $addr }：{ $outcome }
demo-lesson11-bind-with = 带上 SO_REUSEADDR bind { $addr }：{ $outcome }
demo-lesson11-bind-std = std 的 TcpListener::bind：{ $outcome }
demo-lesson11-reuse-notice = 这个 errno 就是常见问题里的“Address already in use”（地址已被占用），而 setsockopt(SO_REUSEADDR) 就是它的解药。Rust 的 std 在 Unix 上从来不会让你碰到这个问题：TcpListener::bind 替你设好了 SO_REUSEADDR。在 Windows 上它不会这样做，因为在那里这个选项的意思更多：它允许第二个套接字 bind 另一个套接字正在监听的端口（Windows 用 SO_EXCLUSIVEADDRUSE 来防这个）。`lesson11 server --no-reuse-address` 不带这个选项运行。
demo-lesson11-backlog-intro = 一个监听套接字调用 listen({ $asked })，却从不 accept；{ $clients } 个客户端同时来连接。内核不需要程序就能完成握手：每个完成了握手的连接都在全连接队列里等着，直到 accept 把它取走。
demo-lesson11-accept-queue = 监听套接字：全连接队列里 { $queued } 个，上限 { $limit }（TCP_INFO）
demo-lesson11-clients-states = 客户端：{ $done } 个 ESTABLISHED，{ $waiting } 个还在 SYN_SENT
demo-lesson11-backlog-numbers = Linux 放进来了“上限 + 1” = { $queued } 个连接（队列比上限长的时候才算满）。另外 { $waiting } 个客户端的 SYN 被丢掉了：它们一秒后再发一次，然后隔 2、4、8 秒……，connect() 只是花的时间更长。`ss -ltn` 显示的 Recv-Q 和 Send-Q 就是这两个数。
demo-lesson11-no-tcp-info = （队列的数字来自 Linux 的 TCP_INFO：这个系统上没有）
demo-lesson11-backlog-notice = 教程把 backlog 叫作半连接池，也就是还没完成握手的连接的池子。在 Linux 上那是另一个队列：半连接队列（SYN 队列）存放还没完成的握手。listen() 的 backlog 限制的是已完成握手的连接所在的全连接队列。
demo-lesson11-timeouts-intro = 一个客户端从一个什么都不说的服务端读，读了两次。
demo-lesson11-settimeout = settimeout(0.2)，然后 recv：
demo-lesson11-setblocking = setblocking(False)，然后 recv：
demo-lesson11-after = { $took } 之后：{ $kind }，errno { $errno }
demo-lesson11-timeouts-notice = 两次是同一个 errno（EAGAIN：“再试一次”）；Python 对第一种抛出 socket.timeout，对第二种抛出 BlockingIOError。服务端用第一种做空闲超时（第 11 课的 --idle 会挂断不说话的客户端），用第二种在一个线程里照看许多套接字，等内核说有数据了再回来。
demo-lesson11-connect-closed = 连接 { $addr }，那里没有人在监听：
demo-lesson11-error = { $kind }，errno { $errno }
demo-lesson11-refused-notice = connect() 会抛异常；connect_ex() 则把这个数字返回给你。在 Rust 里它本来就是一个值：一个可以 match 的 Err，而不是程序崩溃。教程里的 10061 是 Windows 上的同一种拒绝（WSAECONNREFUSED）；Linux 上它的编号是 111，macOS 上是 61。
demo-lesson11-names-intro = 一个监听套接字 bind 端口 0，也就是请内核随便给一个空闲端口；一个客户端连上来（不用 bind，它也会得到一个属于自己的临时端口）。
# 五个名字，每行一个（演示把其中每一行作为一行打印）。
demo-lesson11-names =
    监听套接字  getsockname：{ $listener }
    客户端      getsockname：{ $client_local }
    客户端      getpeername：{ $client_peer }
    服务端一侧  getsockname：{ $server_local }
    服务端一侧  getpeername：{ $server_peer }
demo-lesson11-names-notice = 每一端的 sockname 就是另一端的 peername。accept 得到的套接字用的是监听套接字的端口：一个连接由两端的地址共同命名，所以一个端口就能服务所有连接。
demo-lesson11-short-intro = 一个非阻塞的客户端向一个不读的对端写 8 MiB。内核只收下两边缓冲区装得下的部分（这里各要了 64 KiB：SO_SNDBUF、SO_RCVBUF），多一点也不收。
demo-lesson11-send-took = send：收下了 { $took } 字节，要发的是 { $asked } 字节
demo-lesson11-next-sends = 接下来的 { $sends } 次 send：又收下 { $more } 字节（合计 { $taken } 字节）
demo-lesson11-send-again = 再 send：{ $kind }，errno { $errno }
demo-lesson11-sendall = 对端开始读；sendall 把剩下的发完：到达 { $bytes } 字节
demo-lesson11-short-notice = send 返回它收下了多少，可能比要求的少：剩下的必须由程序自己发。sendall（Rust 里的 write_all）就是这个循环。阻塞的套接字不会说 EAGAIN，而是等到有空位为止，所以服务端需要一个写超时（--write-timeout）来对付从不读的客户端。
demo-lesson11-nagle-intro = 一个客户端发 { $requests } 个请求，每个请求分两次小的写（先报头，后正文），并等每个回答。
demo-lesson11-nagle-on = 开着 Nagle（默认）：每个请求 { $took }
demo-lesson11-nodelay = TCP_NODELAY：       每个请求 { $took }
demo-lesson11-nagle-notice = 有了 Nagle 算法，第二次小的写要等第一次被确认之后才发出，而服务端会推迟它的 ACK（Linux 上最多 40 ms），希望和回答一起发出去，可是收到正文之前它发不出回答。把请求一次写完，或者设置 TCP_NODELAY（--nodelay）。
demo-lesson11-linger = 客户端把 SO_LINGER 设为 0 然后关闭；服务端读到：
demo-lesson11-no-reset = { $bytes } 字节（没有重置）
demo-lesson11-linger-notice = 以 SO_LINGER 0 关闭，会扔掉还没发出的数据，并发送一个重置（RST），而不是告别（FIN）。“connection reset by peer”（连接被对端重置）就是这么回事：对面的内核说，这个连接已经不存在了。
demo-lesson11-families-intro = 第 11 课自己的服务端和客户端，一行不改，走三种地址族：只有地址不同。
demo-lesson11-ipv6 = AF_INET6 [::1]：客户端打印 { $reply }
demo-lesson11-no-ipv6 = 跳过 AF_INET6：这里没有 IPv6 回环地址（{ $error }）
demo-lesson11-unix = AF_UNIX lesson11.sock：客户端打印 { $reply }
demo-lesson11-no-unix = 跳过 AF_UNIX：Unix 域套接字需要 Unix 系统
demo-lesson11-families-notice = Unix 域套接字是文件系统里的一个名字，而不是一个端口：没有 IP，没有 TCP，只在这台机器上。试试 `lesson11 server --unix /tmp/l11.sock` 和 `lesson11 client --unix /tmp/l11.sock`。

# 第 12 课（src/demo/pool.rs）。
demo-lesson12-intro = 服务端启动 { $workers } 个工作线程（--workers { $workers }），并允许再有 { $queue } 个客户端排队等一个工作线程（--queue { $queue }）。一个工作线程服务一个客户端，客户端待多久它就服务多久；accept 循环一个线程也不启动。
demo-lesson12-part1 = 洪水般的客户端，不再一个客户端一个线程
demo-lesson12-part2 = 队头阻塞
demo-lesson12-notice = 要注意的是：线程池给洪水的代价（线程、内存）设了上限，超出的客户端用一行话打发走。但是一个工作线程在客户端离开之前都属于这个客户端：两个空闲的客户端就足以让第三个一直等着，不管它要的东西有多少。第 13 课用一个线程服务所有客户端，这个线程从不等待其中任何一个。
demo-lesson12-flood-intro = { $clients } 个客户端一个接一个地连上来，都不走；每个发一条消息。
demo-lesson12-answered = 有工作线程回答：      { $count }
demo-lesson12-waiting = 在队列里等着：        { $count }   （{ $ms } ms 内没有回复）
demo-lesson12-busy = 被告知 busy 并关闭：  { $count }
demo-lesson12-threads = 本进程的线程数：第一个客户端时 { $first } 个，{ $clients } 个客户端都在时 { $during } 个
demo-no-thread-count = （这个系统不告诉我们一个进程有多少线程）
demo-lesson12-flood-notice = 第 4 课会启动 { $clients } 个线程，每个客户端一个，成千上万的客户端一涌而来，就会耗尽它的地址空间（第 11 课测过）。这里的线程是随服务端一起启动的，数量始终不变：演示本身和它的日志写线程、服务端的 accept 循环、它的关停监视线程，还有 { $workers } 个工作线程。线程池容纳不下的客户端会被告知，就像第 11 课的上限那样，不再多花任何代价。
demo-lesson12-c-queued = 没有回复：A 和 B 占着两个工作线程，C 在排队
demo-lesson12-busy-line = "busy: …"（第 11 课的 busy 行）
demo-lesson12-head-of-line-notice = C 要的东西很少，却还是等着：不是在等机器，而是在等 A，而 A 一句话也没说。这就是队头阻塞。Rust Book 里的线程池也有同样的毛病，只是 A 换成了浏览器的一个慢请求。多加工作线程只是把这条线挪一挪（N 个空闲的客户端会卡住第 N+1 个），第 11 课的 --idle 空闲超时也只是让等待短一些。

# 第 13 课（src/demo/event_loop.rs）。
demo-lesson13-intro = 一个线程服务所有客户端：它的套接字都是非阻塞的，事件循环问内核哪些套接字就绪了（通过 mio 使用 epoll），然后读取并回答它们。在这个演示里，它的处理函数只改了一处：消息 "slow" 要等演示发话才会得到回答，就好像它需要一次很长的计算。
demo-lesson13-part1 = 一万个空闲的客户端，一个线程
demo-lesson13-part2 = 一个慢的处理函数拖住了所有人
demo-lesson13-notice = 要注意的是：第 4 课和第 12 课要给每个客户端一个线程（或者让它们等着），这里一个线程就把它们都接住了。但这一个线程是所有人共用的：它忙着处理 A 的时候，谁也没回答，谁也没接受。真正的服务端会让处理函数保持短小，把慢的工作交给别处（比如第 12 课那样的线程池），等做完了再被告知。
demo-lesson13-idle-intro = { $clients } 个客户端连上来，每个发一条消息；然后它们都留着，一句话也不说。
demo-lesson13-answered = { $answered } 个得到了回答
demo-lesson13-threads = 本进程的线程数：它们来之前 { $before } 个，全部连上之后 { $during } 个
demo-lesson13-descriptors = （每个连接的两端都在这一个进程里，所以每个客户端要花掉它两个文件描述符，而它最多能打开 { $limit } 个文件（`ulimit -n`）：演示在这个限度内连上尽可能多的客户端，最多 { $idle } 个。`cargo bench --bench many_clients` 把客户端放在它们自己的进程里，接住了 { $idle } 个。）
demo-lesson13-idle-notice = 不管来多少客户端，线程就是这几个：演示自己的两个（主线程和日志写线程），加上服务端的事件循环和它的关停监视线程。一个空闲的客户端只花掉事件循环一个套接字和几个字节的账目（它的 token、它的地址、一个空的缓冲区），而不是一个线程和它的栈。
demo-lesson13-b-waits = 没有回复：事件循环正忙着处理 A 的 "slow"
demo-lesson13-c-waits = 没有回复：根本没有人 accept 过 C
demo-lesson13-goes-on = 演示让 A 的处理函数结束；事件循环继续
demo-lesson13-slow-notice = B 和 C 要的都不是慢的东西，却还是在等 A：事件循环的线程上，所有事情都是一件一件做的。在第 4 课里，它们每个都有自己的线程，A 的慢只耽误 A 自己。

# --html 页面（src/demo/html.rs）：页面上说的、终端里没有的话。
demo-html-lang = zh-CN
demo-html-legend = 怎么看这些图。对话图：每个客户端两条泳道，一条是它写的，一条是它读的，每次 write() 和每次 read() 各一个方框，从左到右按发生的顺序排列；24 字节以内的方框每个字节占一列，每个字节都画出来（换行画成 ↵，其他不可打印的字节画成 ·）；更长的方框，长度每翻一倍就宽一列，只标出长度和首尾。字节流图：一条字节流，按两边各自看到的样子切开，每边一条泳道；每条消息有自己的颜色和花纹，所以一次读里出现了几种，这次读就装着几条消息（粘包）。把指针移到方框上，可以看到它的全部字节。
demo-html-part = 部分

# 图（src/demo/svg.rs）：图里加上的每个词。
demo-svg-writes = 写
demo-svg-reads = 读
demo-svg-connects = 连接
demo-svg-refused = 被拒绝
demo-svg-closes = 关闭
demo-svg-resets = 重置（RST）
demo-svg-shuts = 关闭发送方向
demo-svg-end-of-stream = 结尾（0 字节）
demo-svg-reset-by-peer = 被对端重置
demo-svg-read-fails = 读失败
demo-svg-write-fails = 写失败
demo-svg-nothing-for = ms：什么也没有
demo-svg-server-starts = 服务端开始读
demo-svg-server-stopped = Ctrl-C
demo-svg-server-exits = 服务端退出
demo-svg-server-stays = 服务端没有退出
demo-svg-in-writes = 次写
demo-svg-in-reads = 次读
demo-svg-bytes = B
demo-svg-more-bytes = 字节没有列出
demo-svg-stream-title = 一条字节流，在两边各自写和读的地方切开
demo-svg-conversation-title = 每一次写和每一次读，按发生的顺序

## grade（src/grade/）：用例标题、判定、提示、报告

## compare（src/compare/）：行和格

## learn（src/learn/）：运行器的输出

## chaos 和 netassist（src/chaos/、src/netassist/）

## course（src/bin/course.rs）：课程地图和重置
