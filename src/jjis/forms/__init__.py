"""Collection tools generated from the register schema: the entry workbook, the XLSForms for ODK
Collect and KoboToolbox, and the paper registers. A column or code added to the schema appears in
every tool with no other change (labels.toml gives it its words in English and French)."""
