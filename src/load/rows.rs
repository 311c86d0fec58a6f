//! A data source as typed rows of cells, whatever the file: a CSV gives
//! text cells, an Excel sheet gives numbers, dates, texts and Excel's error
//! values as Excel shows them. Every cell keeps its place, which messages
//! show as the user sees it (`fil.csv:7:3`, `fil.xlsx Blad1!D7`).
//!
//! Rows are read one at a time into a reused buffer, so that a file of a
//! million rows is not held twice in memory.

use std::ops::Range;

use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, SourceId, Span};

/// What a cell holds, as its file typed it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Empty,
    /// Text, as written (see [`Row::text`]); all of a CSV's cells.
    Text,
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    /// An Excel error value, as Excel shows it: `#DIV/0!`, `#N/A`.
    Error(&'static str),
}

/// One cell: its value and its place.
#[derive(Debug, Clone)]
pub struct Cell {
    pub value: Value,
    pub span: Span,
    /// The cell's text in the row's buffer.
    text: Range<u32>,
}

/// One row of a table, reused from row to row.
#[derive(Debug, Default)]
pub struct Row {
    cells: Vec<Cell>,
    /// The texts of the row's cells, one after another.
    buffer: String,
}

impl Row {
    pub fn clear(&mut self) {
        self.cells.clear();
        self.buffer.clear();
    }

    /// Adds a cell; `text` is what the cell shows, kept trimmed (once here,
    /// not each time it is read).
    pub fn push(&mut self, value: Value, text: &str, span: Span) {
        let text = text.trim();
        let start = self.buffer.len() as u32;
        self.buffer.push_str(text);
        let value = match value {
            Value::Text if text.is_empty() => Value::Empty,
            other => other,
        };
        self.cells.push(Cell { value, span, text: start..self.buffer.len() as u32 });
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    pub fn cell(&self, index: usize) -> Option<&Cell> {
        self.cells.get(index)
    }

    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// The text a cell shows, trimmed; empty beyond the row's end.
    pub fn text(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", |cell| &self.buffer[cell.text.start as usize..cell.text.end as usize])
    }

    /// Whether every cell is empty.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|cell| cell.value == Value::Empty)
    }

    /// The place of a cell, or of the row's last cell (for a cell missing at
    /// the end of a short row), or `fallback` for an empty row.
    pub fn span(&self, index: usize, fallback: Span) -> Span {
        self.cells.get(index).or(self.cells.last()).map_or(fallback, |cell| cell.span)
    }
}

/// A table read row by row.
pub trait Rows {
    /// The registered file the spans point into.
    fn source(&self) -> SourceId;

    /// Reads the next row into `row`; `false` at the end of the table.
    fn next_row(&mut self, row: &mut Row) -> Result<bool, Diagnostic>;
}
