"""The distribution sheet's words (the .docx cards; the HTML sheet prints the same)."""

from __future__ import annotations

SHEET_TITLE = "{title} · 问卷分发单"
CARD_SCAN = "请用手机微信或浏览器扫码填写"
CARD_CODE = "也可打开 {url} 输入单位代码 {code}"
CARD_MINIMUM = "最少有效份数：{n} 份"
CARD_DEADLINE = "填写截止：{deadline}"
CARD_CONTACT = "联系人：{contact}"
NOT_OPEN_NOTE = "注：调查尚未开放（或已结束），扫码后将看到提示，开放期间才能填写。"
DEADLINE = "{d.year}年{d.month}月{d.day}日 {d:%H:%M}"
