//! Formulas that define a metric from others, written in `rapport.toml`:
//!
//! ```toml
//! [matt.budgetavvikelse]
//! namn = "Budgetavvikelse"
//! formel = "utfall - budget"
//! ```
//!
//! A formula is arithmetic (`+ - * /`, parentheses, numbers with decimal
//! point or comma) over metric names and the functions of [`Function`]. It is
//! evaluated month by month for one unit at a time (see `metrics.rs`).

use std::fmt;
use std::ops::Range;

/// The functions a formula may call. Each works on a monthly series and
/// gives a monthly series; the definitions are in `metrics.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// `r12(x)`: rolling 12-month sum.
    R12,
    /// `ack(x)`: sum from January to the month (year to date).
    Ack,
    /// `helar(x)`: the sum of the whole calendar year, in every month of it.
    Helar,
    /// `foregaende_ar(x)`: the value of the same month a year earlier.
    ForegaendeAr,
    /// `forandring(x)`: change against the same month a year earlier.
    Forandring,
    /// `forandring_procent(x)`: the same change in percent.
    ForandringProcent,
    /// `andel(del, helhet)`: part of whole in percent.
    Andel,
    /// `maluppfyllelse(x, mal)`: share of the year's months so far at or
    /// above the target, in percent.
    Maluppfyllelse,
    /// `mot_mal(x, mal)`: value minus target.
    MotMal,
    /// `lagst(x)`, `hogst(x)`: the lowest and highest value from January
    /// to the month.
    Lagst,
    Hogst,
    /// `lagst_manad(x)`, `hogst_manad(x)`: the month (1–12) the lowest or
    /// highest value so far in the year was in (the first, if several); a
    /// metric defined by one shows the month's name.
    LagstManad,
    HogstManad,
    /// `medel(x)`: the mean of the months with a value from January to the month.
    Medel,
    /// `antal_minst(x, mal)`, `antal_hogst(x, mal)`: how many months from
    /// January to the month were at or above (at or below) the target.
    AntalMinst,
    AntalHogst,
    /// `andel_minst(x, mal)`, `andel_hogst(x, mal)`: the same in percent of
    /// the months with a value.
    AndelMinst,
    AndelHogst,
}

impl Function {
    pub const ALL: [(&'static str, Function, usize); 18] = [
        ("r12", Function::R12, 1),
        ("ack", Function::Ack, 1),
        ("helar", Function::Helar, 1),
        ("foregaende_ar", Function::ForegaendeAr, 1),
        ("forandring", Function::Forandring, 1),
        ("forandring_procent", Function::ForandringProcent, 1),
        ("andel", Function::Andel, 2),
        ("maluppfyllelse", Function::Maluppfyllelse, 2),
        ("mot_mal", Function::MotMal, 2),
        ("lagst", Function::Lagst, 1),
        ("hogst", Function::Hogst, 1),
        ("lagst_manad", Function::LagstManad, 1),
        ("hogst_manad", Function::HogstManad, 1),
        ("medel", Function::Medel, 1),
        ("antal_minst", Function::AntalMinst, 2),
        ("antal_hogst", Function::AntalHogst, 2),
        ("andel_minst", Function::AndelMinst, 2),
        ("andel_hogst", Function::AndelHogst, 2),
    ];

    /// The function a name stands for; å, ä and ö may be written
    /// (`lägst_månad`, `högst`).
    pub fn by_name(name: &str) -> Option<(Function, usize)> {
        let folded = crate::diagnostic::fold_swedish(name);
        Function::ALL.iter().find(|(n, _, _)| *n == folded).map(|(_, f, arity)| (*f, *arity))
    }

    /// Whether the function gives one figure for a run of months, and so
    /// can also stand in a placeholder over a period (`{lägst(x)@2023-T2}`).
    pub fn of_months(self) -> bool {
        matches!(
            self,
            Function::Lagst
                | Function::Hogst
                | Function::LagstManad
                | Function::HogstManad
                | Function::Medel
                | Function::AntalMinst
                | Function::AntalHogst
                | Function::AndelMinst
                | Function::AndelHogst
        )
    }

    /// Whether the function compares with a target (which may be left out
    /// for the metric's own `mal`).
    pub fn takes_target(self) -> bool {
        matches!(
            self,
            Function::Maluppfyllelse
                | Function::MotMal
                | Function::AntalMinst
                | Function::AntalHogst
                | Function::AndelMinst
                | Function::AndelHogst
        )
    }

    /// Whether the function works over the months of the year so far
    /// (and means nothing for yearly figures).
    pub fn over_months(self) -> bool {
        self.of_months() || matches!(self, Function::R12 | Function::Ack | Function::Helar | Function::Maluppfyllelse)
    }

    pub fn name(self) -> &'static str {
        Function::ALL.iter().find(|(_, f, _)| *f == self).map(|(n, _, _)| *n).unwrap_or("?")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Add,
    Subtract,
    Multiply,
    Divide,
}

/// A parsed formula. Spans are byte ranges in the formula text.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64),
    Metric { name: String, span: Range<usize> },
    Negate(Box<Expr>),
    Binary(Operator, Box<Expr>, Box<Expr>),
    Call { function: Function, args: Vec<Expr>, span: Range<usize> },
}

impl Expr {
    /// Every metric the formula names, with its span, in order of writing.
    pub fn metrics(&self) -> Vec<(&str, Range<usize>)> {
        let mut out = Vec::new();
        self.collect_metrics(&mut out);
        out
    }

    /// Writes every metric name as `rename` gives it (its id).
    pub fn rename_metrics(&mut self, rename: &mut impl FnMut(&str) -> Option<String>) {
        match self {
            Expr::Number(_) => {}
            Expr::Metric { name, .. } => {
                if let Some(id) = rename(name) {
                    *name = id;
                }
            }
            Expr::Negate(inner) => inner.rename_metrics(rename),
            Expr::Binary(_, left, right) => {
                left.rename_metrics(rename);
                right.rename_metrics(rename);
            }
            Expr::Call { args, .. } => args.iter_mut().for_each(|arg| arg.rename_metrics(rename)),
        }
    }

    fn collect_metrics<'a>(&'a self, out: &mut Vec<(&'a str, Range<usize>)>) {
        match self {
            Expr::Number(_) => {}
            Expr::Metric { name, span } => out.push((name, span.clone())),
            Expr::Negate(inner) => inner.collect_metrics(out),
            Expr::Binary(_, left, right) => {
                left.collect_metrics(out);
                right.collect_metrics(out);
            }
            Expr::Call { args, .. } => args.iter().for_each(|arg| arg.collect_metrics(out)),
        }
    }
}

/// A formula that cannot be read, with the place and what was expected.
#[derive(Debug, Clone, PartialEq)]
pub struct FormulaError {
    pub message: String,
    pub span: Range<usize>,
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Parses a formula.
pub fn parse(text: &str) -> Result<Expr, FormulaError> {
    let mut parser = Parser { text, pos: 0, depth: 0, operators: 0 };
    let expr = parser.sum()?;
    parser.skip_space();
    if parser.pos < text.len() {
        return Err(parser.error("oväntat tecken; en formel består av mått, tal, + − * / och parenteser"));
    }
    Ok(expr)
}

/// Deepest nesting of parentheses and calls; keeps a hostile formula from
/// exhausting the stack.
const MAX_DEPTH: usize = 32;
/// Most operators in a formula: `a + a + …` builds a tree as deep as it is
/// long, which every later walk (and its drop) goes down recursively.
const MAX_OPERATORS: usize = 1000;

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
    operators: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> FormulaError {
        let end = self.text[self.pos..].chars().next().map_or(self.pos, |c| self.pos + c.len_utf8());
        FormulaError { message: message.to_string(), span: self.pos..end }
    }

    fn skip_space(&mut self) {
        while self.text[self.pos..].starts_with(char::is_whitespace) {
            self.pos += self.text[self.pos..].chars().next().map_or(1, char::len_utf8);
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_space();
        self.text[self.pos..].chars().next()
    }

    fn sum(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.product()?;
        while let Some(c) = self.peek() {
            let operator = match c {
                '+' => Operator::Add,
                '-' | '\u{2212}' => Operator::Subtract,
                _ => break,
            };
            self.pos += c.len_utf8();
            self.count_operator()?;
            left = Expr::Binary(operator, Box::new(left), Box::new(self.product()?));
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.unary()?;
        while let Some(c) = self.peek() {
            let operator = match c {
                '*' => Operator::Multiply,
                '/' => Operator::Divide,
                _ => break,
            };
            self.pos += 1;
            self.count_operator()?;
            left = Expr::Binary(operator, Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, FormulaError> {
        match self.peek() {
            Some(c @ ('-' | '\u{2212}')) => {
                self.pos += c.len_utf8();
                self.nested(|p| p.unary()).map(|e| Expr::Negate(Box::new(e)))
            }
            _ => self.atom(),
        }
    }

    fn count_operator(&mut self) -> Result<(), FormulaError> {
        self.operators += 1;
        if self.operators > MAX_OPERATORS {
            return Err(self.error(&format!(
                "formeln har fler än {MAX_OPERATORS} räknesätt; dela upp den i flera mått som bygger på varandra"
            )));
        }
        Ok(())
    }

    fn nested(&mut self, f: impl FnOnce(&mut Self) -> Result<Expr, FormulaError>) -> Result<Expr, FormulaError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(&format!(
                "formeln är för djupt nästlad (mer än {MAX_DEPTH} nivåer parenteser); dela upp den i flera mått"
            )));
        }
        let result = f(self);
        self.depth -= 1;
        result
    }

    fn atom(&mut self) -> Result<Expr, FormulaError> {
        match self.peek() {
            None => Err(self.error("formeln slutar för tidigt; här ska det stå ett mått eller ett tal")),
            Some('(') => {
                self.pos += 1;
                let inner = self.nested(|p| p.sum())?;
                if self.peek() != Some(')') {
                    return Err(self.error("här saknas `)`"));
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(c) if c.is_ascii_digit() => {
                let start = self.pos;
                while self.text[self.pos..].starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',') {
                    self.pos += 1;
                }
                let number = &self.text[start..self.pos];
                crate::swedish::parse_number(number)
                    .map(Expr::Number)
                    .ok_or(FormulaError { message: format!("`{number}` är inget tal"), span: start..self.pos })
            }
            Some(c) if c.is_alphabetic() || c == '_' => {
                let start = self.pos;
                while self.text[self.pos..].starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                    self.pos += self.text[self.pos..].chars().next().map_or(1, char::len_utf8);
                }
                let name = &self.text[start..self.pos];
                let span = start..self.pos;
                if self.peek() != Some('(') {
                    return Ok(Expr::Metric { name: name.to_string(), span });
                }
                let Some((function, arity)) = Function::by_name(name) else {
                    let names = Function::ALL.map(|(n, _, _)| n);
                    let hint = crate::diagnostic::did_you_mean(name, names).map_or_else(
                        || format!(" (funktionerna är {})", names.join(", ")),
                        |s| format!("; menade du `{s}`?"),
                    );
                    return Err(FormulaError { message: format!("okänd funktion `{name}`{hint}"), span });
                };
                self.pos += 1;
                let mut args = Vec::new();
                if self.peek() != Some(')') {
                    loop {
                        args.push(self.nested(|p| p.sum())?);
                        match self.peek() {
                            Some(',' | ';') => self.pos += 1,
                            Some(')') => break,
                            _ => return Err(self.error("här ska det stå `,` eller `)`")),
                        }
                    }
                }
                self.pos += 1;
                if args.len() != arity && !(function_allows_one(function) && args.len() == 1) {
                    return Err(FormulaError {
                        message: format!("`{name}` ska ha {arity} argument, inte {}", args.len()),
                        span: start..self.pos,
                    });
                }
                Ok(Expr::Call { function, args, span: start..self.pos })
            }
            Some(_) => Err(self.error("här ska det stå ett mått, ett tal eller `(`")),
        }
    }
}

/// `maluppfyllelse(x)`, `mot_mal(x)` and the counts against a target may
/// leave out the target and use the metric's own `mal`.
fn function_allows_one(function: Function) -> bool {
    function.takes_target()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(name: &str, span: Range<usize>) -> Box<Expr> {
        Box::new(Expr::Metric { name: name.into(), span })
    }

    #[test]
    fn parses_arithmetic_with_precedence() {
        let expr = parse("utfall - budget * 2").unwrap();
        assert_eq!(
            expr,
            Expr::Binary(
                Operator::Subtract,
                metric("utfall", 0..6),
                Box::new(Expr::Binary(Operator::Multiply, metric("budget", 9..15), Box::new(Expr::Number(2.0))))
            )
        );
    }

    #[test]
    fn parses_calls_and_decimal_commas() {
        let expr = parse("andel(uppnadd, forvantad) - 0,5").unwrap();
        let Expr::Binary(Operator::Subtract, call, number) = expr else { panic!() };
        assert_eq!(*number, Expr::Number(0.5));
        assert!(matches!(*call, Expr::Call { function: Function::Andel, .. }));
        assert_eq!(parse("ack(utfall - budget)").unwrap().metrics().len(), 2);
        assert!(parse("maluppfyllelse(telefon)").is_ok());
    }

    #[test]
    fn reports_where_it_went_wrong() {
        assert_eq!(parse("utfall -").unwrap_err().span, 8..8);
        assert_eq!(parse("utfall $ budget").unwrap_err().span, 7..8);
        let error = parse("r13(utfall)").unwrap_err();
        assert_eq!(error.span, 0..3);
        assert!(error.message.contains("menade du `r12`?"), "{}", error.message);
        assert!(parse("andel(a)").unwrap_err().message.contains("2 argument"));
        assert!(parse("(utfall").is_err());
        assert!(parse(&"(".repeat(100)).unwrap_err().message.contains("nästlad"));
    }

    #[test]
    fn a_formula_of_200_000_terms_is_refused_not_a_stack_overflow() {
        let long = vec!["utfall"; 200_000].join(" + ");
        let error = parse(&long).unwrap_err();
        assert!(error.message.contains("fler än 1000 räknesätt"), "{}", error.message);
        assert!(parse(&vec!["a"; 1000].join("*")).is_ok());
        assert!(parse(&"-".repeat(100_000)).unwrap_err().message.contains("nästlad"));
    }
}
