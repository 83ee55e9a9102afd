# The tools' sentences, in English (tools/src/i18n.rs). Every message here has its twin, with the
# same id and the same arguments, in ../zh-CN/socket_lessons_tools.ftl (a test checks).
# One section per tool; add a message in the section of the code that says it.

tools-language-name = English

## The lesson command line (src/cli.rs): --help, status lines, errors

cli-help-lang = The language to speak: en (English) or zh (简体中文). Without it, the locale decides (LANG=zh_CN.UTF-8 speaks Chinese), else English

## The demos (src/demo/): narration, pictures' captions, the step prompt

## grade (src/grade/): case titles, verdicts, hints, the report

## compare (src/compare/): rows and cells

## learn (src/learn/): the runner's output

## chaos and netassist (src/chaos/, src/netassist/)

## course (src/bin/course.rs): the course map and reset
