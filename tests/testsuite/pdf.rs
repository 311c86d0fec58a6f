//! Reading the PDFs we produce, with Rust crates only (lopdf, pdf-extract),
//! so that `cargo test` needs nothing but the Rust toolchain.

use lopdf::{Document, Object};

/// A parsed PDF with what tests ask of it.
pub struct Pdf {
    pub document: Document,
    pub bytes: Vec<u8>,
}

impl Pdf {
    pub fn parse(bytes: Vec<u8>) -> Pdf {
        let document = Document::load_mem(&bytes).expect("the PDF parses");
        Pdf { document, bytes }
    }

    pub fn pages(&self) -> usize {
        self.document.get_pages().len()
    }

    /// Width and height of the first page in points.
    pub fn page_size(&self) -> (f64, f64) {
        let (_, &page) = self.document.get_pages().iter().next().expect("a page");
        let dict = self.document.get_dictionary(page).expect("page dictionary");
        let mediabox = dict.get(b"MediaBox").expect("MediaBox").as_array().expect("array");
        let number =
            |o: &Object| o.as_float().map(f64::from).or_else(|_| o.as_i64().map(|i| i as f64)).expect("number");
        (number(&mediabox[2]) - number(&mediabox[0]), number(&mediabox[3]) - number(&mediabox[1]))
    }

    /// All text, with every kind of space made a plain space and runs of
    /// whitespace collapsed, so that tests can search for "−21,5 mnkr".
    pub fn text(&self) -> String {
        let raw = pdf_extract::extract_text_from_mem(&self.bytes).expect("text extracts");
        normalise_spaces(&raw)
    }

    /// The text of one page (1-based).
    pub fn page_text(&self, page: u32) -> String {
        let pages = pdf_extract::extract_text_from_mem_by_pages(&self.bytes).expect("text extracts");
        normalise_spaces(&pages[page as usize - 1])
    }

    /// An entry of the Info dictionary as text.
    pub fn info(&self, key: &str) -> Option<String> {
        let info = self.document.trailer.get(b"Info").ok()?;
        let info = self.document.get_dictionary(info.as_reference().ok()?).ok()?;
        let value = info.get(key.as_bytes()).ok()?;
        lopdf::decode_text_string(value).ok()
    }

    /// The catalog's `/Lang`.
    pub fn language(&self) -> Option<String> {
        let catalog = self.document.catalog().ok()?;
        lopdf::decode_text_string(catalog.get(b"Lang").ok()?).ok()
    }

    /// Names of fonts whose program is not embedded (should be none).
    pub fn fonts_without_program(&self) -> Vec<String> {
        let mut missing = Vec::new();
        for object in self.document.objects.values() {
            let Ok(dict) = object.as_dict() else { continue };
            if dict.get(b"Type").ok().and_then(|t| t.as_name().ok()) != Some(b"FontDescriptor") {
                continue;
            }
            let embedded = [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"].iter().any(|key| dict.has(key));
            if !embedded {
                let name = dict.get(b"FontName").ok().and_then(|n| n.as_name().ok()).unwrap_or(b"?");
                missing.push(String::from_utf8_lossy(name).into_owned());
            }
        }
        missing
    }

    /// The alt text of every figure.
    pub fn alt_texts(&self) -> Vec<String> {
        self.document
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter_map(|d| d.get(b"Alt").ok().and_then(|a| lopdf::decode_text_string(a).ok()))
            .collect()
    }

    /// Base names of the embedded fonts, subset prefix removed.
    pub fn font_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .document
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter(|d| d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"FontDescriptor"))
            .filter_map(|d| d.get(b"FontName").ok()?.as_name().ok().map(|n| String::from_utf8_lossy(n).into_owned()))
            .map(|n| n.split_once('+').map_or(n.clone(), |(_, base)| base.to_string()))
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

pub fn normalise_spaces(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
