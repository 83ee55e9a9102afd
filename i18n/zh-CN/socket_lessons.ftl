# 课程中的句子，简体中文版（src/i18n.rs）。这里的每条消息都与 ../en/socket_lessons.ftl 中的一条
# 一一对应：同样的 id，同样的参数（有测试检查）。按课程的部分分节；在说这句话的代码所在的节里添加。

language-name = 简体中文

## 取值：参数值不对时的提示（src/flags.rs）

value-seconds = 应为 { $shortest } 到 { $longest } 之间的秒数，比如 2 或 0.5
# `never` 是在命令行上输入的值，在各种语言里都是这个词。
value-or-never = { $sentence }，或者 never
value-size = 应为一个大小，比如 1048576、64K、512M 或 1G（1K = 1024 字节）
value-count = 应为 { $min } 到 { $max } 之间的整数
value-folder-but = 应为一个文件夹的路径（不存在会自动创建），但这里是{ $kind }
value-socket-path-too-long = 应为 Unix 套接字的路径，最长 { $max } 个字节（这个有 { $length } 个）
value-path-empty = 应为一个路径，不能为空
kind-folder = 一个文件夹
kind-regular-file = 一个普通文件
kind-symbolic-link = 一个符号链接
kind-socket = 一个套接字
kind-fifo = 一个 FIFO（命名管道）
kind-device = 一个设备
kind-other = 既不是文件也不是文件夹

## 服务端和客户端：错误、警告和提示（src/server.rs、src/lessons/、src/files/ ……）

room-hung-up-on-us = 聊天室挂断了我们：{ $why }
# 跟在 `WARNING --shell: ` 之后；那几个字不变。
commands-shell-warning = 凡是能连到 { $addr } 的客户端，现在都能以这个用户的身份在这台机器上运行任意命令。只在你信得过的机器和网络上用它。
guard-cannot-hold-one = --max-clients：这个进程连一个客户端线程都容纳不了：{ $limit }
# 跟在 `warning: --max-clients N lowered to M` 之后；那几个字不变。
guard-cap-lowered = ，即这个进程能容纳的上限：{ $limit }
# 跟在 `busy: ` 之后；`busy: ` 不变，客户端要匹配它。
guard-busy = 服务端已经在服务它能服务的最多的客户端了；请稍后再试
client-reply-damaged = 回复已损坏：它的 md5 是 { $actual }，报头里说的却是 { $expected }

## 聊天室线路上的文字（src/room.rs）：成员听到的

room-name-invalid = 名字须为 1 到 { $max } 个字母或数字，任何文字均可
room-name-taken = 名字 { $name } 已被占用，请换一个
room-closing = 聊天室正在关闭
room-busy = 服务端现在无法再接纳成员，请稍后再试
room-present = * 聊天室里有：{ $names }
room-nobody-else = 还没有别人
room-names-separator = 、
room-joined = * { $name } 加入了
room-left = * { $name } 离开了
room-left-stopped-reading = * { $name } 离开了（它不再读了）
room-closing-notice = * 服务端正在关停：再见
# 跟在 `error: ` 之后；`error: ` 在各种语言里都不变，因为客户端要读它。
room-stopped-reading = 你不再读了，聊天室只好撇下你继续
line-too-long = 一行超过了 { $max } 个字节
line-not-utf8 = 一行不是 UTF-8 文本

## 菜单机器人线路上的文字（src/menu.rs）：来电者听到的

# 10086 机器人是教程里的机器人，它说的是教程的原话，一字不改（和英文目录一样，连标点都是教程的），
# 这样同学们拿 Rust 的机器人和教程的 Python 机器人对照时，听到的是同样的字节。

menu-welcome = 欢迎致电 10086,请输入1xxx,0转人工服务.
menu-queries = 自助查询: 1 话费余额, 2 流量, 3 套餐, * 返回主菜单.
menu-operator = 您的通话可能会被录音. 客服为您服务, 请讲 (* 返回主菜单).
menu-try-again = 请重新输入.
menu-goodbye = 感谢您的来电, 再见.
menu-closing = 系统维护中, 本次通话结束, 再见.
menu-balance = 您的话费余额为 52.30 元.
menu-data = 本月已用流量 3.2 GB, 剩余 6.8 GB.
menu-plan = 您的套餐: 畅享套餐 58 元/月, 含 10 GB 流量, 300 分钟通话.
menu-noted = 已记录您的问题: { $words }. 还有别的吗? (* 返回主菜单)
menu-idle = 您已 { $seconds } 秒没有输入, 本次通话结束, 再见.

## 命令服务（src/commands.rs）：第 5、6 课的回复。命令名（help、echo、seq）、`error: ` 和
## `seq: ` 在各种语言里都一样。

commands-help =
    命令：
      help          列出这些命令
      echo TEXT...  原样打印 TEXT
      seq N         打印 1 到 N 的整数，每行一个（N 最大 { $max }）
    这里只运行这几个命令；别的命令（ls、dir……）要用 --shell 启动的服务端才能运行。
commands-not-utf8 = error: 命令不是 UTF-8 文本；试试 'help'
commands-empty = error: 空命令；试试 'help'
commands-seq-usage = seq: 需要一个数，比如 'seq 10'
# commands-unknown 的开头：grade 靠它认出命令服务，两种语言都认。
commands-unknown-opening = 未知命令
commands-unknown = { commands-unknown-opening } '{ $command }'：只运行 help、echo、seq，别的命令要 --shell；试试 'help'
commands-seq-too-large = seq: { $n } 太大了；最大是 { $max }
commands-seq-not-a-number = seq: '{ $n }' 不是整数
commands-shell-failed = error: 无法运行 shell：{ $why }
