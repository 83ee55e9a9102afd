# 课程中的句子，简体中文版（src/i18n.rs）。这里的每条消息都与 ../en/socket_lessons.ftl 中的一条
# 一一对应：同样的 id，同样的参数（有测试检查）。按课程的部分分节；在说这句话的代码所在的节里添加。

language-name = 简体中文

## 取值：参数值不对时的提示（src/flags.rs）

## 服务端和客户端：错误、警告和提示（src/server.rs、src/lessons/、src/files/ ……）

room-hung-up-on-us = 聊天室挂断了我们：{ $why }

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

menu-welcome = 欢迎致电 10086，请输入 1xxx，0 转人工服务。
menu-queries = 自助查询：1 话费余额，2 流量，3 套餐，* 返回主菜单。
menu-operator = 您的通话可能会被录音。客服为您服务，请讲（* 返回主菜单）。
menu-try-again = 请重新输入。
menu-goodbye = 感谢您的来电，再见。
menu-closing = 系统维护中，本次通话结束，再见。
menu-balance = 您的话费余额为 52.30 元。
menu-data = 本月已用流量 3.2 GB，剩余 6.8 GB。
menu-plan = 您的套餐：畅享套餐 58 元/月，含 10 GB 流量，300 分钟通话。
menu-noted = 已记录您的问题：{ $words }。还有别的吗？（* 返回主菜单）
menu-idle = 您已 { $seconds } 秒没有输入，本次通话结束，再见。
