"""The register schema: tables, columns and code lists, declared once."""

from jjis.schema.registers import TABLES, Column, Table

__all__ = ["TABLES", "Column", "Table"]
