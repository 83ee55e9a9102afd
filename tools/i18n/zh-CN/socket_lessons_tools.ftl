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
demo-server-log-aside = （服务端的日志写在标准错误上：RUST_LOG=info cargo run --bin { $bin } 可以看到。）
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

## grade（src/grade/）：用例标题、判定、提示、报告
# 用例目录（src/grade/catalogue.rs）：每个用例的标题和提示，按编号（2.3 是 grade-case-2-3-*）。
grade-case-1-1-title = 消息按协议的规则得到回复
grade-case-1-1-hint = 回复规则：echo 是 bytes.upper()；`echo TEXT` 回复 TEXT 加一个换行
grade-case-1-2-title = UTF-8 文本原样通过
grade-case-1-2-hint = 只把 a-z 转成大写：先解码再编码，或者 str.upper()，都会改动别的字母
grade-case-1-3-title = 1,024 字节以上的消息得到完整的回复
grade-case-1-3-hint = 一次 recv(1024) 不是一条消息：继续读（echo），或者给回复分帧
grade-case-1-4-title = 一个 2,000 字节的数据报：回来了多少
grade-case-1-4-hint = 比服务端缓冲区长的数据报会被内核截断，其余的丢掉
grade-case-1-5-title = 空回复是一个 total_size 为 0 的帧
grade-case-1-5-hint = `seq 0` 什么也不输出；没有报头的协议什么也不会发，客户端只能一直等
grade-case-1-6-title = 带有未知报头字段、没有 md5 的请求照样被服务
grade-case-1-6-hint = 报头是开放的：读的一方忽略它不认识的字段，md5 是可选的
grade-case-1-7-title = 成员的一行以 `[NAME] text` 到达其他每个成员，不回到发送者
grade-case-1-7-hint = 聊天室转发给其他人：对除了说话者之外的每个成员循环一遍
grade-case-1-8-title = 新成员被告知谁在场，其他成员被告知它加入了
grade-case-1-8-hint = 对新来的发 `* in the room: a, b`，对其他每个人发 `* NAME joined`
grade-case-1-9-title = 成员离开时，其他成员会收到通知
grade-case-1-9-hint = recv 返回 b'' 就是成员离开了：告诉聊天室 `* NAME left`
grade-case-1-10-title = 一行 1,000 字节（允许的最长）完整地到达其他成员
grade-case-1-10-hint = 上限是不含行尾的 1,000 字节：一次 recv(1024) 可能装不下一整行
grade-case-1-11-title = 还没报上名字的连接什么也听不到
grade-case-1-11-hint = 连接报上名字才成为成员：广播给成员，而不是给套接字
grade-case-1-12-title = 已有的文件被完整下载，带着它的名字和 md5
grade-case-1-12-hint = get 回复的报头写着文件名和它的 md5；正文就是那个文件，一字不差
grade-case-1-13-title = 上传的文件可以再下载回来
grade-case-1-13-hint = put 以那个名字存下恰好 total_size 个字节，同一个连接上的 get 能找到它
grade-case-1-14-title = 不存在的文件得到一个错误回复，连接继续
grade-case-1-14-hint = 拒绝是一个报头里有 "error" 的帧；然后读下一个请求
grade-case-1-15-title = 机器人先说话
grade-case-1-15-hint = 在读任何东西之前先发欢迎语：来电者在等它
grade-case-1-16-title = 菜单，一轮一轮，然后 exit
grade-case-1-16-hint = 每个来电在菜单里有自己的位置；在任何菜单里 `exit` 都用 hang_up true 说再见，然后关闭
grade-case-1-17-title = 输入按字节比较，只去掉 ASCII 空白
grade-case-1-17-hint = trim_ascii() 然后比较字节：" 1\r\n" 就是 1，而 EXIT 不是 exit
grade-case-2-1-title = 一次写里的两个请求分别得到回复
grade-case-2-1-hint = 粘包：一次 recv(1024) 里可能有两个请求
grade-case-2-2-title = 小请求在任意位置被拆成两半，都能完整读到
grade-case-2-2-hint = 拆成两半的请求会分两次读到：一直读，直到帧说它完整了
grade-case-2-3-title = 每次写一个字节、滴过来的请求能完整读到
grade-case-2-3-hint = 一次 recv 可能只返回请求的一部分（recv(4) 可能只返回 1 个字节）：相信一次 recv 的服务端在这里失败
grade-case-2-4-title = 大消息（超过 1 MB）得到完整的回复，下一个回复属于下一个请求
grade-case-2-4-hint = 比一次读更长的回复，如果不分帧，就会溢进下一次读
grade-case-2-5-title = 一次写里的两行作为两行到达
grade-case-2-5-hint = 一次 recv 里可能有两行：在每个 \n 处切开，而不是每次 recv 切一次
grade-case-2-6-title = 每次写一个字节、滴过来的上传被完整存下
grade-case-2-6-hint = 恰好读出报头，再恰好读出 total_size 个字节的正文，不管它们怎么来
grade-case-2-7-title = 被 chaos 代理切成 1-3 字节一读的三个请求得到完整的回复
grade-case-2-7-hint = 粘包和拆包：一次读可能只装着消息的一块；一直读到消息完整
grade-case-3-1-title = 第一个客户端保持连接时，第二个客户端也得到服务
grade-case-3-1-hint = 一次只服务一个客户端：第二个在半连接池（backlog）里等，直到第一个离开
grade-case-3-2-title = 同时连接的 100 个客户端都得到回复
grade-case-3-2-hint = 每个客户端一个线程（或一个事件），再加一个装得下它们的 backlog：教程的 listen(5) 只让 5 个等着
grade-case-3-3-title = 同时 50 个成员：每个都听到其他 49 个的行
grade-case-3-3-hint = 每个成员一个线程（或一个事件），成员名单只有一份，放在锁下共享
grade-case-3-4-title = 另一个客户端上传到一半时，下载照样被服务
grade-case-3-4-hint = 每个客户端一个线程：一个慢吞吞的上传不能拖住其他所有人
grade-case-3-5-title = 两个来电者各自保持在菜单里的位置
grade-case-3-5-hint = 来电者在菜单里的位置属于它的那通电话：是它的线程里的一个局部变量
grade-case-4-1-title = 不是 UTF-8 文本的字节得到普通的回复
grade-case-4-1-hint = 对端发来的东西，解码时一定要处理错误（否则就是 panic、线程死掉）
grade-case-4-2-title = 客户端在请求发到一半时重置（RST）连接
grade-case-4-2-hint = 重置是一个连接的错误（ConnectionResetError），不是服务端的
grade-case-4-3-title = 从不读回复的客户端不会拖住其他人
grade-case-4-3-hint = 阻塞在给某一个客户端的 send() 上的服务端，不能成为所有人的服务端
grade-case-4-4-title = 2^32-1 的报头长度立刻被拒绝
grade-case-4-4-hint = 相信报头长度的服务端会去等（或分配）4 GiB
grade-case-4-5-title = 刚超过 64 KiB 的报头长度在报头到达之前就被拒绝
grade-case-4-5-hint = 在读或分配之前，先把声明的长度和上限比一比
grade-case-4-6-title = 不是 JSON 的报头被拒绝
grade-case-4-6-hint = json.loads 会对它抛出异常：捕获它，结束这一个连接
grade-case-4-7-title = 不是 UTF-8 的报头被拒绝
grade-case-4-7-hint = decode('utf-8') 会对它抛出异常：捕获它，结束这一个连接
grade-case-4-8-title = 是 JSON 但不是对象的报头被拒绝
grade-case-4-8-hint = 对列表做 header['total_size'] 会抛出 TypeError
grade-case-4-9-title = 没有 total_size 的报头被拒绝
grade-case-4-9-hint = header['total_size'] 会抛出 KeyError
grade-case-4-10-title = 负的 total_size 被拒绝
grade-case-4-10-hint = `while received < -1` 一次也不会运行：正文被当成空的
grade-case-4-11-title = 是字符串的 total_size 被拒绝
grade-case-4-11-hint = 拿 int 和 str 比较会抛出 TypeError
grade-case-4-12-title = 为 null 的 total_size 被拒绝
grade-case-4-12-hint = null 不是一个大小
grade-case-4-13-title = 超过 8 MiB 的 total_size 在正文到达之前就被拒绝
grade-case-4-13-hint = 相信 total_size 的服务端会去等（或分配）整个正文
grade-case-4-14-title = 2^64-1 的 total_size 被拒绝
grade-case-4-14-hint = 相信 total_size 的服务端会去等 16 EiB
grade-case-4-15-title = 在长度中间关闭的连接被结束
grade-case-4-15-hint = 到了末尾 recv 返回 b''：不理它的循环会永远空转
grade-case-4-16-title = 在报头中间关闭的连接被结束
grade-case-4-16-hint = recv(header_len) 可能返回更少的字节，到了末尾返回 b''
grade-case-4-17-title = 被截断的正文（连接在正文中间关闭）被结束
grade-case-4-17-hint = 一旦 recv 返回 b''，`while received < total_size: recv(1024)` 就会永远空转
grade-case-4-18-title = md5 和正文对不上的请求被拒绝，而且不运行
grade-case-4-18-hint = 运行命令之前先校验 md5
grade-case-4-19-title = 声明 8 MiB 正文却一个字节也不发的客户端拖不住任何人
grade-case-4-19-hint = 在链接循环里等某个客户端正文的服务端，谁也服务不了
grade-case-4-20-title = 空数据报也是一条消息：它得到一个空回复
grade-case-4-20-hint = recvfrom 返回 0 字节是一个空数据报，不是结束：UDP 没有结束
grade-case-4-21-title = 一个 65,507 字节的数据报（IPv4 上最大的）
grade-case-4-21-hint = 内核会把它截断到缓冲区的大小；服务端必须继续服务
grade-case-4-22-title = 1,001 字节的一行只结束那一个成员，并给出一行错误
grade-case-4-22-hint = 读的一方总要在某处停下：超过 1,000 字节还没有 \n，就拒绝这一行，结束那个成员
grade-case-4-23-title = 不是 1-16 个字母或数字的名字被拒绝，给出一行错误，然后关闭
grade-case-4-23-hint = 成员加入之前先检查名字：`[bob]` 或者空格会被当成通知的一部分
grade-case-4-24-title = 已经有人用的名字被拒绝，给出一行错误，然后关闭
grade-case-4-24-hint = 两个同名的成员：谁也分不清是谁说的
grade-case-4-25-title = 从不读的成员被踢掉，其他人仍然听到每一行
grade-case-4-25-hint = 给不读的成员 send() 会阻塞：给每个成员一个有界队列，满了就踢掉它
grade-case-4-26-title = 不是 UTF-8 的一行只结束那一个成员，并给出一行错误
grade-case-4-26-hint = decode('utf-8') 会对它抛出异常：捕获它，结束那一个成员
grade-case-4-27-title = 客户端连上后，一个字节也没发就重置（RST）
grade-case-4-27-hint = 重置是一个连接的错误（ConnectionResetError），不是服务端的
grade-case-4-28-title = 走出服务目录的名字被拒绝，外面的东西一个也不读
grade-case-4-28-hint = root.join(name) 会被 .. 带出去，也会被绝对路径整个替换：只允许普通的文件名
grade-case-4-29-title = md5 对不上的上传被拒绝，什么也不留下
grade-case-4-29-hint = 先写进临时文件，校验 md5，然后才把它改名为真正的名字
grade-case-4-30-title = 中途断掉的上传不被保留，连一部分也不留
grade-case-4-30-hint = 提前结束的正文是一个错误：删掉临时文件；只有完整的、校验过的文件才得到真正的名字
grade-case-4-31-title = 一声不吭的来电者在 --idle 之后听到再见，然后被挂断
grade-case-4-31-hint = 在连接上设 --idle 的读超时：超时的时候，用 hang_up true 说空闲再见，然后关闭
grade-case-6-1-title = 客户端把第一行作为一条消息发出，并打印那一个回复
grade-case-6-1-hint = 连接，发出这一行的字节（不含行尾），读一次，打印回复和一个换行
grade-case-6-2-title = 客户端把每一行作为一条消息发出，并打印每个回复
grade-case-6-2-hint = 对标准输入的每一行循环：发送，读回复，打印它
grade-case-6-3-title = 客户端跳过空行
grade-case-6-3-hint = 空的 send 什么也不发，两边就都会等下去：遇到空行就 `continue`
grade-case-6-4-title = 一行 `q` 结束客户端
grade-case-6-4-hint = 发送之前 `if line == "q" {"{"} break; {"}"}`
grade-case-6-5-title = 服务端挂断时客户端结束
grade-case-6-5-hint = 读到 0 字节就是服务端走了：停下，不要打印一个空回复
grade-case-6-6-title = 不管网络怎么切，客户端都能完整地读出回复帧
grade-case-6-6-hint = 恰好读 4 个字节，恰好读出报头，恰好读出正文
grade-case-6-7-title = 客户端把空回复帧当作一个回复，然后继续
grade-case-6-7-hint = `seq 0` 是一个正文为空的帧：什么也不打印，为下一行读下一个回复
grade-case-6-8-title = 客户端把空行作为空数据报发出，并打印它的空回复
grade-case-6-8-hint = UDP 没有流的结束：空数据报和其他消息一样，也是一条消息
grade-case-6-10-title = `get NAME` 把文件完整地下载到客户端的目录里
grade-case-6-10-hint = 先写进旁边的临时文件，校验 md5，然后改名
grade-case-6-11-title = `put PATH` 以文件的名字上传它
grade-case-6-11-hint = put 请求：报头里有 action、filename 和文件的 md5，然后是文件本身
grade-case-6-16-title = 客户端打印欢迎语和每个回复，在说再见时结束
grade-case-6-16-hint = 先读欢迎语；收到 hang_up true 的回复之后，不再读输入，直接结束
grade-case-7-1-title = 服务完它的一个客户端之后，服务端以状态 0 退出
grade-case-7-1-hint = 第 1 课只服务一个客户端：回复之后从 main 返回
grade-case-7-2-title = 服务端没有一个线程 panic
grade-case-7-2-hint = panic 就是 bug，哪怕它只结束了一个连接
grade-case-7-3-title = 没有客户端的服务端在睡觉
grade-case-7-3-hint = read 返回 0 是一次对话的结束：不理它的循环会永远空转
grade-case-7-5-title = 每个连接一条消息，然后服务端挂断
grade-case-7-5-hint = 第 2 课：读一次，回复一次，然后丢掉连接
grade-case-7-6-title = 超过 --max-clients 的客户端收到一行说明，然后被关闭
grade-case-7-6-hint = 用一个共享的计数器数正在服务的客户端；多出来的那一个收到 BUSY 和一个 shutdown
grade-case-7-7-title = 不管客户端怎么离开，名额都会回来
grade-case-7-7-hint = 在 Drop 里把名额还回去：不管线程怎么结束，它都会运行
grade-case-7-8-title = 一声不吭的客户端在 --idle 之后被挂断，说话的不会
grade-case-7-8-hint = set_read_timeout(idle)：超时的读就是一个沉默太久的客户端

# 报告、命令行、判定函数自己的句子。
grade-lifecycle-title = 在它之后，一个守规矩的新客户端照样得到服务
grade-lifecycle-hint = 恶意对端只能结束它自己的连接，绝不能结束服务端
grade-informational = （仅供参考）
grade-only-for = 仅用于 { $protocols }
grade-needs-the-program = 它需要程序本身：由 `learn` 运行
grade-the-case-runs = 用例能运行
grade-cannot-start-thread = 无法启动它的线程：{ $error }
grade-case-ends-within = 用例在 { $secs } 秒内结束
grade-a-hang = 没有：服务端既不回复也不关闭（卡住了）
grade-grader-panicked = 评分器自己 panic 了：这是评分器的 bug
grade-strict-suffix = （--strict：SHOULD 算作 MUST）
grade-verdict-pass = 通过
grade-verdict-non-strict = 不严格
grade-verdict-fail = 失败
grade-verdict-info = 信息
grade-verdict-skipped = 跳过
grade-summary = { $passed } 个通过，{ $failed } 个失败，{ $skipped } 个跳过，{ $non_strict } 个不严格，{ $info } 个信息
grade-label-expected = 预期：
grade-label-observed = 观察到：
grade-label-hint = 提示：
grade-looks-like-echo = 这看起来是一个 echo 服务端：试试 --protocol { $protocol }
grade-looks-like-rfc862 = 这看起来是一个 RFC 862 回显服务端：试试 --protocol { $protocol }
grade-looks-like-commands = 这看起来是一个命令服务端：试试 --protocol { $protocol }
grade-looks-like-other = 这看起来是一个 { $protocol } 服务端：试试 --protocol { $protocol }
grade-group-basics = 基础
grade-group-framing = 分帧
grade-group-concurrency = 并发
grade-group-lifecycle = 生命周期
grade-group-hostile-heading = 4 恶意输入（每个用例 4.N 之后跟着 5.N：服务端仍在服务）
grade-error-seconds = { $flag } { $value }：应当是一个大于 0 的秒数
grade-error-no-case-matches = --cases { $cases }：用例目录里没有一个用例与之匹配
grade-error-nothing-listening = { $addr } 上没有谁在监听（{ $over }）
grade-error-cannot-write = 无法写入 { $path }：{ $error }
grade-error-failed = { $failed } 个用例失败
grade-error-server-gone = { $addr } 上已经没有谁在监听了：服务端在用例 { $during } 期间停止了（{ $not_run } 个用例没有运行）
grade-error-out-of-time = 这次运行的 { $secs } 秒预算已经用完（{ $not_run } 个用例没有运行）
grade-error-interrupted = 被中断：并非每个用例都运行了
grade-error-separator = ；
grade-warning-not-loopback = 警告：{ $addr } 不是回环地址；恶意用例（第 4 组）现在会给它发送畸形的、超大的输入。按 Ctrl-C 会在下一个用例之前停下。
grade-hint-answered-a-piece = 服务端回答了请求的一块就挂断了：围绕 recv 的循环（通信循环）保住连接，一直读到请求完整才保证它是一个请求
grade-hint-never-served = 第一个客户端离开之后，第二个客户端仍然没有得到回复：一个客户端离开之后，服务端必须回到 accept（链接循环）
grade-hint-gone-after-first = 服务端在第一个客户端之后就没了：围绕 accept 的循环（链接循环）才会服务下一个
grade-hint-backlog = 服务端还没有 accept 的连接在它的半连接池（listen backlog）里等，发现池子满了的连接，客户端的内核会在一秒之后重试：教程的 listen(5) 只装 5 个，所以同时来一百个要好多秒才能都进来。更大的 backlog（本课程要求 4096）让它们一下子都进来
grade-hint-accepts-but-serves-none = 服务端让客户端连上了，却一个也没有回答：负责 accept 的线程不能同时负责服务
grade-hint-nobody-listens = 那里已经没有谁在监听了：服务端停止了（在这个恶意对端之后，或者之前）；服务端必须比每个客户端活得长，恶意的客户端只能结束它自己的连接
grade-hint-rechunked = 服务端读到的每个请求都是 1 到 3 个字节的小块，繁忙的网络就可能这样送来：把一次读当成一条消息（或者相信 `read` 会填满 4 字节长度）的服务端在第一块上就失败；一直读到消息完整
grade-hint-upload-holds-up = A 的上传发到一半时，客户端 B 一直在等：服务端一次只服务一个客户端；每个客户端一个线程（第 4 课）才能让 B 进来
grade-hint-hung-after-empty-line = 客户端在空行之后卡住了：它什么也没发（空的 send 不发送任何字节），然后去等一个永远不会来的回复；跳过空行
grade-hint-reply-in-many-reads = 回复分成了很多次读（代理把它切开了，繁忙的网络也会这样）：恰好读 4 个字节，恰好读出报头，恰好读出正文，绝不要 `read` 一次然后碰运气
grade-hint-a-thread-panicked = 有线程 panic 了：对端的字节、或者一次失败的读写，碰上了 `unwrap` 或者 `todo!()`；panic 就是 bug，哪怕它只结束了一个连接：对错误做 match，结束那一次对话
grade-hint-spins-when-idle = 没有人的时候服务端在拼命干活：`read` 返回 0（对端已经关闭）时还在转圈的循环永远不会结束；0 字节就是那次对话的结束
grade-hint-robot-silent = 来电者开口之前什么也没有收到：机器人应当先说话，电话一接通就发出欢迎语
grade-hint-bytes-as-sent = 回复是原样送回的字节，没有转成大写：echo 的规则是 bytes.upper()（普通的 RFC 862 回显服务端用 --protocol rfc862 能通过）
grade-hint-upper-cased = 回复被转成了大写：RFC 862 按字节原样回显（本课程的 echo 规则是 --protocol echo）
grade-hint-speaks-echo = 服务端把请求转成大写回显：它说的是 echo
grade-hint-speaks-rfc862 = 服务端把请求原样送回：它说的是 rfc862
grade-hint-speaks-framed = 回复是帧（一个长度，一个 JSON 报头）：它说的是 framed
grade-hint-speaks-chat = 回复是聊天室的行：它说的是 chat
grade-hint-speaks-commands = 回复是命令服务的：它说的是 commands
grade-its-stderr = （它的 stderr：{ $stderr }）

## compare（src/compare/）：行和格

## learn（src/learn/）：运行器的输出

## chaos 和 netassist（src/chaos/、src/netassist/）

## course（src/bin/course.rs）：课程地图和重置
