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

# 判定函数的预期和观察（src/grade/judge.rs、chat.rs、files.rs、program.rs、robot.rs）。
grade-judge-a-connection = 建立一个连接
grade-judge-echo-3000 = 全部 3,000 字节的回显
grade-judge-all-3000-echoed = 全部 3,000 字节，都回显了
grade-judge-seq-1000-bytes = `seq 1000` 的 3,893 字节
grade-judge-all-3893 = 全部 3,893 字节
grade-judge-a-datagram-sent = 发出一个数据报
grade-judge-empty-frame-expected = 一个 total_size 为 0 的帧，然后 `echo next` 得到回复
grade-judge-empty-frame-in-step = 一个空帧，字节流仍然对得上
grade-judge-no-reply-frame = 没有回复帧
grade-judge-both-served = 两个都得到服务
grade-judge-one-two-datagrams = "ONE"，然后 "TWO"，两个数据报
grade-judge-two-replies = 两个回复
grade-judge-two-replies-whole = 两个回复，每个都完整
grade-judge-large-whole = 完整，而且下一个回复属于下一个请求
grade-judge-second-expected = 第一个客户端保持连接时，第二个客户端得到回复
grade-judge-answered-at-once = 立刻得到回复
grade-judge-one-at-a-time = 直到第一个客户端离开才得到回复：一次只服务一个客户端
grade-judge-first-served = 第一个客户端得到服务
grade-judge-hundred-expected = 100 个都得到回复，各是各的
grade-judge-hundred-answered = 100 个都得到回复
grade-judge-new-client-expected = 新客户端照常得到服务
grade-judge-served = 得到服务
grade-judge-a-reply-still-usable = 一个回复（比如一条错误消息），而且连接仍然可用
grade-judge-echoed-unchanged = 原样回显
grade-judge-echoed-upper = 原样回显（a-z 转成大写）
grade-judge-half-request-sent = 发出半个请求
grade-judge-never-reads-expected = 这个客户端什么也不读的时候，另一个客户端照样得到服务
grade-judge-refused-expected = 一个错误回复，然后这个连接结束，不运行任何命令
grade-judge-ended-without-error = 连接结束了，但没有一个错误回复说明原因
grade-judge-stalled-expected = 四个客户端在等永远不会来的正文时，另一个客户端照样得到服务
grade-judge-four-still-wait = 得到服务；那四个仍然连着，在等
grade-judge-empty-datagram-expected = 回来一个空数据报
grade-judge-an-empty-datagram = 一个空数据报
grade-judge-no-datagram = 没有数据报回来
grade-judge-three-echo = 三个的回显，"FIRSTSECONDTHIRD"
grade-judge-three-replies = 三个回复，每个都完整，按顺序
grade-judge-proxy-and-connection = 代理，以及一个连接
grade-judge-reset-at-once = 连上了，然后重置（RST），一个字节也没发（5.27 检查服务端）
grade-judge-sticky = ：一次读被当成了一整条命令（粘包）
grade-judge-in-all = 合起来是 { $both }
grade-judge-a-then-b = "a\n"，然后 "b\n"
grade-judge-first-reply = 第一个回复 { $why }
grade-judge-second-reply = 第二个回复 { $why }
grade-judge-for-every-split = 每种拆法都得到 { $reply }
grade-judge-split-after = 在 { $len } 个字节的第 { $at } 个之后拆开：
grade-judge-whole-at-all-offsets = 在全部 { $offsets } 个位置拆开都完整
grade-judge-answered-early = { $len } 个字节才发了 { $sent } 个，服务端就回复了 { $answer }
grade-judge-could-not-send = 发不出去（{ $error }）
grade-judge-closed-after = { $len } 个字节才发了 { $sent } 个，服务端就关闭了连接（{ $error }）
grade-judge-no-reply-while-first-stayed = 第一个客户端还在的时候，{ $secs } 秒内没有回复；
grade-judge-not-even-after = 第一个客户端离开之后仍然没有回复：{ $then }
grade-judge-replied = 回复了 { $reply }
grade-judge-same-cuts = ；想自己做出同样的切法：在你的服务端前面放 chaos --up { $cut } --seed { $seed }
grade-judge-came-back-upper = 2,000 字节里回来了 { $bytes } 个，每个都转成了大写
grade-judge-came-back-as = 回来了 { $bytes } 字节：{ $shown }
grade-judge-instead = 却是 { $got }
grade-judge-then-next-answered = { $reply }，然后下一个请求得到回复
grade-judge-whole-from-writes = 完整，来自 { $writes } 次一字节的写
grade-judge-bytes-then-next-answered = { $bytes } 字节，然后下一个请求得到回复
grade-judge-bytes-differ = { $got } 字节，和预期的不一样（从第 { $from } 个字节起）
grade-judge-not-sent-whole = （请求没能完整发出：{ $send }）
grade-judge-backlog-full = { $secs } 秒内 { $hundred } 个里连上了 { $connected } 个，{ $answered } 个全都得到回复；其余 { $waited } 个在等着连接，没有回复（listen backlog 满了）
grade-judge-not-all-connected = { $secs } 秒内 { $hundred } 个里连上了 { $connected } 个，其中 { $answered } 个得到回复；客户端 { $client }：{ $why }
grade-judge-client-of = { $hundred } 个里的客户端 { $client }：{ $why }
grade-judge-not-all-answered = { $secs } 秒内 { $hundred } 个里 { $answered } 个得到回复；客户端 { $client }：{ $why }
grade-judge-sent-then-reset = { $of } 字节发了 { $sent } 个，然后重置（RST）（5.2 检查服务端）
grade-judge-other-client = 另一个客户端：{ $why }，而这个客户端还有 { $unread } 字节没读
grade-judge-error-then-end = 错误帧 { $error }，然后结束
grade-judge-error-but-then = 一个错误帧，但随后 { $then }
grade-judge-ran-it = 一个普通的回复帧 { $body }：坏请求被当成了一条命令
grade-judge-still-waits = { $secs } 秒内既没有回复也没有结束：服务端还在等别人答应给它的字节（它相信了报头声明的东西）
grade-judge-bytes-came-back = 回来了 { $bytes } 字节

## compare（src/compare/）：行和格
# 行（src/compare/scenarios.rs），按场景名。
compare-row-second-client = 第 2 个客户端，第 1 个不走
compare-row-third-client = 第 3 个客户端，2 个不走
compare-row-back-to-back = 一次写 2 个请求
compare-row-long-reply = 3,893 字节的回复
compare-row-dribbled = 请求一点点滴过来
compare-row-reset = 重置（RST），再来新客户端
compare-row-ctrl-c = Ctrl-C，2 个空闲客户端

# 格、表头、--html 页面、错误。
compare-cell-served = 得到服务
compare-cell-waits-for-first = 等第 1 个
compare-cell-never-served = 从未得到服务
compare-cell-first-not-served = 第 1 个没得到服务
compare-cell-server-gone = 服务端没了
compare-cell-not-for-udp = —（数据报）
compare-cell-told-busy = 被告知忙（上限 2）
compare-cell-second-waits = 第 2 个在等
compare-cell-third-waits = 第 3 个在等
compare-cell-mixed-up = 串了
compare-cell-both-echoed = 两个都回显了
compare-cell-one-reply-closed = 1 个回复，关闭
compare-cell-part-echoed = 只回显了一部分
compare-cell-two-replies = 2 个回复
compare-cell-glued = 粘包：1 个回复
compare-cell-not-two-replies = 不是 2 个回复
compare-cell-whole = 完整
compare-cell-spilled = 溢进下一个
compare-cell-no-reply = 没有回复
compare-cell-no-second-reply = 没有第二个回复
compare-cell-first-byte-closed = 第 1 个字节，关闭
compare-cell-echoed-whole = 完整回显
compare-cell-echoed-in-pieces = 分块回显
compare-cell-first-byte-only = 只有第 1 个字节，关闭
compare-cell-not-whole = 不完整
compare-cell-new-one-waits = 新来的在等
compare-cell-cannot-sigint = 发不出 SIGINT
compare-cell-exits-1s = 退出 < 1 秒
compare-cell-exits-5s = 退出 < 5 秒
compare-cell-exits-slowly = 退出，很慢
compare-cell-cut-at = 在 { $at } 处截断
compare-cell-closed-after = { $sent } 字节后关闭
compare-cell-split-ran = 拆开了：运行了 { $ran }
compare-cell-no-exit = { $secs } 秒内没有退出
compare-cell-failing = { $text }，失败
compare-head-scenario = 场景
compare-html-title = compare：同样的流量，打向每一个阶段
compare-html-good = 客户端想要的
compare-html-bad = 出错的
compare-html-legend = 每一格是那个阶段真正的服务端在那个场景里做了什么，每格都重新启动来演。
compare-error-not-playable = compare 演的是第 1 到 7 课和第 11 到 13 课，不是 { $text }
compare-error-interrupted = 被中断
compare-error-no-lesson = compare 没有 lesson{ $number }
compare-error-cannot-start = 无法启动 lesson{ $number } server（{ $binary }）：{ $error }
compare-error-no-scenario = 没有场景 { $name }；场景有 { $names }

## learn（src/learn/）：运行器的输出
# 运行器的话（src/learn/messages.rs）。
learn-took = { $secs } 秒
learn-list-exercise = 练习
learn-list-done = 完成
learn-list-chapter = 章节
learn-list-yes = 是
learn-progress = 进度：{ $all } 个练习完成了 { $done } 个
learn-all-done = 每个练习都通过了（{ $all }/{ $all }）。src/lessons/ 里的各个阶段是课程自己写的版本，和你写的是同一件事：把它们和你的并排读一读。
learn-building = 正在编译 { $name }……
learn-build-failed = { $name } 还编译不过：编译器的消息在上面，原样照录。改好 { $main_rs } 再检查一次。
learn-cannot-start = 无法启动 { $program }：{ $error }
learn-checking = 正在检查 { $name }：{ $cases } 个用例，按顺序，在第一个失败的用例处停下
learn-ok = 通过
learn-no-such-case = info.toml 写了用例 { $id }，但用例目录里没有它
learn-never-listened = 它一直没有监听：{ $secs } 秒内没有一行以 `listening on ADDR` 结尾（运行约定，docs/contracts.md 的 "Exercises"）
learn-exited-before-listening = 它在说出 `listening on ADDR` 之前就退出了（{ $status }）
learn-still-running = 你的程序：用例结束时还在运行。
learn-last-words = 它在 stderr 上的最后几句：
learn-has-exited = 你的程序：它已经退出了（{ $status }）。
learn-flooded = 它的输出超过了 1 MiB（超出的 { $bytes } 字节读出来就扔掉了）：是不是有一个不停打印的循环？
learn-case-failed = 失败  用例 { $id }：{ $title }
learn-expected = {" "} 预期：{ $text }
learn-observed = {" "} 观察到：{ $text }
learn-the-picture = 写了什么、读到了什么（每个 |…| 是一次写，或一次读）：
learn-how-it-ended = 用例是怎么结束的：
learn-earlier-acts = {" "} （省略了前面的 { $n } 行）
learn-hint = 提示：{ $text }
learn-frames = 帧
learn-server-reads = 服务端读到
learn-one-write = 一次写
learn-writes = { $n } 次写
learn-one-read = 一次读
learn-reads = { $n } 次读
learn-more-hints = 需要更多帮助，一次一条提示：cargo run --bin learn -- hint { $number }
learn-failed-after = { $failed } 失败了，在此之前 { $passed } 个用例通过；检查用了 { $took }。
learn-passed = { $name } 通过了全部 { $count } 个用例（{ $ids }），用了 { $took }。
learn-known-limits = 故意没有检查：{ $ids }（这个阶段按设计就会失败；后面有一课专门讲它们）。
learn-worked-solution = 这一课课程自己的版本：{ $stage }；参考答案：{ $reference }。
learn-next-exercise = 下一个：{ $name }，在 { $main_rs } 里（章节：{ $chapter }）。
learn-hint-numbered = 提示 { $n }/{ $of }：{ $text }
learn-no-more-hints = 这是 { $of } 条提示里的最后一条；`--all` 会把它们全部再显示一遍。
learn-reset-confirm = 把 { $main_rs } 恢复成起步代码吗？你的文件会保存在旁边的 main.rs.bak 里。[y/N]{" "}
learn-reset-done = { $main_rs } 又是起步代码了；你的版本在 { $backup } 里。
learn-reset-cancelled = 什么也没有改。
learn-watching = 正在盯着 { $main_rs }：保存它就会再检查一次。（Ctrl-C 停止。）
learn-manual = 按 Enter 再检查一次 { $main_rs }，按 q 再按 Enter 停止。
learn-no-such-exercise = 没有练习 { $n }：练习的编号是 1 到 { $all }
learn-cannot-save-progress = 警告：无法保存你的进度（{ $error }）
learn-member-writes = { $actor } 写
learn-member-reads = { $actor } 读
learn-client-writes = 客户端 { $actor } 写
learn-client-reads = 客户端 { $actor } 读
learn-error-cannot-keep = 无法把你的文件保存为 { $backup }：{ $error }
learn-error-cannot-write = 无法写入 { $main_rs }：{ $error }
learn-error-git = git 给不出起步代码：{ $error }

## chaos 和 netassist（src/chaos/、src/netassist/）
# chaos（src/chaos/）：状态行、错误、一个方向的结束、--html 页面。事件行（#1 open、up in、down out、closed）
# 是给 grep 用的记录，保持英文。
chaos-html-title = chaos
chaos-html-legend = 每个连接的每个方向都是一条字节流，被切了两次：上面一道是 chaos 的读落在哪里（哪些字节是一起到的），下面一道是它的写落在哪里（接收方会拿到什么）。每一次读进来的都有自己的颜色和花纹：一个写出的格子里有好几种，就是合并（按需制造的粘包）；一种跨过好几个写出的格子，就是拆分（拆包）。把鼠标指向一个格子，就能看到它的字节。
chaos-html-connection = 连接
chaos-html-up = 上行：客户端 → 服务端
chaos-html-down = 下行：服务端 → 客户端
chaos-html-up-in = 从客户端读进
chaos-html-up-out = 向服务端写出
chaos-html-down-in = 从服务端读进
chaos-html-down-out = 向客户端写出
chaos-html-nothing = 这个方向什么也没有经过
chaos-html-left-out = 没有画出：每个方向只保留最前面的字节
chaos-html-refused = 服务端拒绝了
chaos-html-none-yet = 还没有代理过任何连接。
chaos-no-seed = chaos：没有给 --seed；使用 --seed { $seed }（给出它就能重放同样的切法）
chaos-status = chaos（Ctrl-C 停止）上行：{ $up }，下行：{ $down }，转发到 { $to }
    { $listening }
chaos-stopped = chaos 已停止：代理了 { $count } 个连接
chaos-error-thread = 无法启动代理的线程：{ $error }
chaos-error-in-use = 无法在 { $addr } 上监听：这个地址已经被占用；用 --listen HOST:PORT 另选一个
chaos-error-listen = 无法在 { $addr } 上监听：{ $error }
chaos-refused = #{ $conn } { $client }：连不上 { $server }（{ $error }）；挂断
chaos-end-closed = 关闭
chaos-end-shutdown = shutdown
chaos-end-with-pair = 随另一个方向
chaos-end-failed = 失败：{ $error }
chaos-end = #{ $conn } { $way } 结束（{ $how }）：读进 { $reads } 次，{ $bytes_in } 字节；写出 { $writes } 次，{ $bytes_out } 字节

# netassist（src/netassist/）：状态行、通知和错误（不包括它转发的字节）。
netassist-status = netassist { $mode }（Ctrl-C 停止）{ $listening }
netassist-counters = 计数：收到 { $bytes_in } 字节，读了 { $reads } 次；发出 { $bytes_out } 字节，写了 { $writes } 次；{ $connections } 个连接
netassist-bytes-at = { $bytes } 字节，位于 { $offset }
netassist-event-listening = 正在监听
netassist-event-connected = 已连接
netassist-event-closed = 已关闭
netassist-event-closed-by-peer = 对端关闭
netassist-event-failed = 失败
netassist-event-send-failed = 发送失败
netassist-event-receive-failed = 接收失败
netassist-event-not-echoed = 没有回显
netassist-event-not-sent = 没有发送
netassist-event-refused = 被拒绝
netassist-no-peer-yet = （还）没有对端发来过任何东西
netassist-no-client-yet = （还）没有客户端连上
netassist-icmp-unreachable = 那里没有谁在监听（ICMP 端口不可达）
netassist-unix-client = #{ $id } unix 客户端
netassist-error-in-use = { $what }：这个地址已经被占用；用 --addr HOST:PORT 另选一个
netassist-error-cannot-bind = 无法绑定 { $addr }
netassist-error-cannot-listen = 无法在 { $endpoint } 上监听
netassist-error-cannot-read-file = 无法读取 --file { $path }：{ $error }
netassist-error-cannot-bind-udp = 无法绑定一个 UDP 套接字：{ $error }
netassist-error-cannot-use = 无法使用 { $addr }：{ $error }
netassist-error-nothing-listening = 连不上 { $endpoint }：那里没有谁在监听（{ $error }）
netassist-error-cannot-connect = 连不上 { $endpoint }：{ $error }
netassist-error-odd-hex = { $word } 的十六进制数字个数是奇数：每个字节给两个，比如 "48 65 6c"
netassist-error-not-hex = { $pair } 不是一个十六进制字节：用 0-9 和 a-f，比如 "48 65 6c"

## course（src/bin/course.rs）：课程地图和重置
