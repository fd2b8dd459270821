"""Report writers: plain data in, file bytes out (no Flask, no SQLAlchemy).

* ``appendix_docx.write_appendix`` — the Word appendix 问卷调查分析报告 (native charts);
* ``workbook_xlsx.write_workbook`` — the data workbook, streamed (bounded memory);
* ``table_csv.write_csv`` — the 原始数据 sheet as UTF-8-with-BOM CSV.

``services/exports.py`` gathers the data (summary, rows, open answers …) and calls them.
"""
