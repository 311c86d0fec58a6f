//! Reading the PDFs we produce, with Rust crates only (lopdf, pdf-extract),
//! so that `cargo test` needs nothing but the Rust toolchain.

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object};

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

/// A text-showing operation on a page: the size its glyphs have on the
/// page, after every transformation (text matrix, `cm`, form XObjects such
/// as the charts' SVGs), and how many glyph codes it shows.
#[derive(Debug, Clone, Copy)]
pub struct ShownText {
    pub page: u32,
    pub size: f64,
    pub codes: usize,
}

/// A PDF matrix `[a b c d e f]`.
type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `first` then `then`: the matrix product first × then.
fn concat(first: Matrix, then: Matrix) -> Matrix {
    let [a, b, c, d, e, f] = first;
    let [a2, b2, c2, d2, e2, f2] = then;
    [a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2]
}

fn number(o: &Object) -> f64 {
    o.as_float().map(f64::from).expect("a number")
}

fn matrix(operands: &[Object]) -> Matrix {
    let m: Vec<f64> = operands.iter().map(number).collect();
    [m[0], m[1], m[2], m[3], m[4], m[5]]
}

impl Pdf {
    /// Every text-showing operation of every page with its effective size.
    pub fn shown_text(&self) -> Vec<ShownText> {
        let mut out = Vec::new();
        for (page, id) in self.document.get_pages() {
            let content = self.document.get_and_decode_page_content(id).expect("page content decodes");
            let (inline, referenced) = self.document.get_page_resources(id).expect("page resources");
            let resources = inline.or_else(|| referenced.first().and_then(|r| self.document.get_dictionary(*r).ok()));
            self.walk(&content.operations, resources, IDENTITY, page, &mut out);
        }
        out
    }

    fn dictionary<'a>(&'a self, object: &'a Object) -> Option<&'a Dictionary> {
        match object {
            Object::Reference(id) => self.document.get_dictionary(*id).ok(),
            other => other.as_dict().ok(),
        }
    }

    fn walk(
        &self,
        operations: &[Operation],
        resources: Option<&Dictionary>,
        ctm: Matrix,
        page: u32,
        out: &mut Vec<ShownText>,
    ) {
        let (mut ctm, mut saved) = (ctm, Vec::new());
        let (mut text_matrix, mut font_size, mut invisible) = (IDENTITY, 0.0, false);
        for op in operations {
            let operands = &op.operands;
            match op.operator.as_str() {
                "q" => saved.push(ctm),
                "Q" => ctm = saved.pop().unwrap_or(IDENTITY),
                "cm" => ctm = concat(matrix(operands), ctm),
                "BT" => text_matrix = IDENTITY,
                "Tm" => text_matrix = matrix(operands),
                "Tf" => font_size = number(&operands[1]),
                "Tr" => invisible = number(&operands[0]) == 3.0,
                "Tj" | "TJ" | "'" | "\"" if !invisible => {
                    let [a, b, c, d, _, _] = concat(text_matrix, ctm);
                    let codes = operands
                        .iter()
                        .flat_map(|o| match o {
                            Object::Array(items) => items.clone(),
                            other => vec![other.clone()],
                        })
                        .filter_map(|o| o.as_str().ok().map(|s| s.len()))
                        .sum();
                    out.push(ShownText { page, size: font_size * (a * d - b * c).abs().sqrt(), codes });
                }
                "Do" => {
                    let Some(xobjects) =
                        resources.and_then(|r| r.get(b"XObject").ok()).and_then(|x| self.dictionary(x))
                    else {
                        continue;
                    };
                    let name = operands[0].as_name().expect("an XObject name");
                    let Some(Ok(stream)) = xobjects.get(name).ok().map(|o| match o {
                        Object::Reference(id) => self.document.get_object(*id).and_then(Object::as_stream),
                        other => other.as_stream(),
                    }) else {
                        continue;
                    };
                    if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form".as_slice()) {
                        continue;
                    }
                    let form = stream.dict.get(b"Matrix").and_then(Object::as_array).map_or(IDENTITY, |m| matrix(m));
                    let inner = stream.dict.get(b"Resources").ok().and_then(|r| self.dictionary(r)).or(resources);
                    let bytes = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
                    let content = Content::decode(&bytes).expect("form content decodes");
                    self.walk(&content.operations, inner, concat(form, ctm), page, out);
                }
                _ => {}
            }
        }
    }
}

pub fn normalise_spaces(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
