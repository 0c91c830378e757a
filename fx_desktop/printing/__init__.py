"""Printed documents: form builders (reportlab, no Qt) turn plain data (`printing.data`) into PDF bytes; `preview`
is the one Qt module (preview window, system print dialog, save as PDF)."""
