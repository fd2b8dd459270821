"""Chinese words of the bank library (saved and uploaded banks) and of a survey's start.

Validation problems of a bank are not here: they come from ``texts_zh.banks`` through the
one validator, so an upload lists them exactly as ``flask banks check`` prints them.
"""

#: The one empty section of a blank questionnaire, until the designer names it.
BLANK_SECTION_TITLE = "问卷题目"
#: Suffix of a copied survey's default name.
COPY_SUFFIX = "（副本）"

NO_SCORED_ITEM = "问卷还没有计分题（如满意度题），不能开放：请先在问卷中添加至少一道计分题。"
NOT_OWN_BANK = "只能删除自己保存或上传的题库。"
READ_ONLY = "查看人员只能浏览和下载题库。"
BUILTIN_READ_ONLY = "内置题库是服务自带的文件，不能在工作台删除。"
NO_SUCH_BANK = "找不到这个题库，可能已被删除。"
EMPTY_FILE = "上传的文件是空的。"

START_BANK = "从题库开始"
START_COPY = "复制以前的调查"
START_BLANK = "空白问卷"
CHOOSE_BANK = "请选择题库"
CHOOSE_SURVEY = "请选择要复制的调查"
TOO_LONG = "“{key}”过长（最多{limit}个字符）"
CHOOSE_START = "请选择问卷从哪里开始"
