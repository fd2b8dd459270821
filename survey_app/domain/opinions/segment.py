"""Chinese word segmentation for grouping open answers: jieba, loaded once per process.

jieba ships its dictionary inside the package and needs no network; loading it takes
about a second the first time (it then caches a prefix index in the temp directory), so
the segmenter is built lazily and shared.  Only the words that can carry a theme are
kept: two characters or more, not in ``STOPWORDS``.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

#: Words too common in answers to tell one opinion from another (they never name a cluster).
STOPWORDS = frozenset("""
建议 希望 意见 能够 可以 进一步 加强 加大 提高 增加 我们 我司 公司 本单位 单位 企业 项目 专项资金 专项 资金
问题 方面 工作 情况 相关 部门 比较 非常 还是 就是 需要 存在 目前 现在 今后 以后 继续 更加 尽快 适当 给予
能否 是否 一些 有些 没有 不够 不是 这个 那个 什么 怎么 如果 因为 所以 但是 而且 以及 或者 对于 关于 通过
进行 开展 有关 其他 其它 已经 应该 应当 一下 一个 希望能 得到 还有 自己 较为 较长 太多 过多 很多
认为 觉得 感觉 帮助 支持 不错 总体 组织 提供 实现 促进 推动 设立 政府 多多 一定 适度 及时
""".split())
#: A topic's own words that would tie it to every answer: never used as its keywords.
GENERIC_TOPIC_WORDS = STOPWORDS | frozenset("实施 总体 整体 实际 满意 满意度 政府 及时性 标准 程度 合理性".split())

_lock = threading.Lock()
_tokenizer: Any = None


def tokenizer() -> Any:
    """The process's ``jieba.Tokenizer``, its dictionary loaded on first use.

    jieba is imported here, not at the top: importing it alone takes ~0.3 s (its HMM tables),
    which every command and worker start would pay without ever grouping an answer.
    """
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                built = jieba.Tokenizer()
                built.initialize()
                _tokenizer = built
    return _tokenizer


def words(text: str) -> list[str]:
    """All words of ``text`` as jieba cuts them (precise mode, HMM for unknown words)."""
    return tokenizer().lcut(text)


def content_words(text: str, stop: frozenset[str] = STOPWORDS) -> list[str]:
    """The words of ``text`` that can name a theme, each once, in order of appearance."""
    return list(dict.fromkeys(w for w in words(text) if len(w) >= 2 and w not in stop and not w.isdigit()
                              and any("\u4e00" <= c <= "\u9fff" or c.isalpha() for c in w)))
