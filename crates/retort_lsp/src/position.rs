//! Positions: Retort counts 1-based lines and 1-based columns in
//! characters; LSP counts 0-based lines and columns in UTF-16 code units
//! unless client and server agree on UTF-32 (characters), which we prefer.

use lsp_types::Position;

/// How LSP columns are counted in this session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf16,
    /// Characters (Unicode scalar values), as Retort counts.
    Utf32,
}

/// The lines of a text as LSP numbers them (`\n` ends a line; a `\r`
/// before it is not part of the line).
pub fn lines(text: &str) -> Vec<&str> {
    text.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).collect()
}

/// The LSP position of Retort's `line`:`column` (1-based, characters).
/// Line 0 (a finding about the whole file) is the start of the file; a
/// column past the end of the line is the end of the line.
pub fn to_lsp(lines: &[&str], line: u32, column: u32, encoding: Encoding) -> Position {
    if line == 0 {
        return Position::new(0, 0);
    }
    let index = (line - 1) as usize;
    let Some(text) = lines.get(index) else {
        // Past the end of the text: the end of the last line.
        let last = lines.len().saturating_sub(1);
        let width = lines.last().map_or(0, |text| width(text, usize::MAX, encoding));
        return Position::new(last as u32, width);
    };
    let characters = column.saturating_sub(1) as usize;
    Position::new(index as u32, width(text, characters, encoding))
}

/// Width of the first `characters` characters of `text` in `encoding` units.
fn width(text: &str, characters: usize, encoding: Encoding) -> u32 {
    let prefix = text.chars().take(characters);
    match encoding {
        Encoding::Utf16 => prefix.map(|c| c.len_utf16() as u32).sum(),
        Encoding::Utf32 => prefix.count() as u32,
    }
}

/// The byte offset in `text` of an LSP position, clamped to the text (a
/// position inside a character or past a line's end moves to its end).
pub fn byte_offset(text: &str, position: Position, encoding: Encoding) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(newline) => line_start += newline + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..].find('\n').map_or(text.len(), |n| line_start + n);
    let mut units = 0;
    for (offset, c) in text[line_start..line_end].char_indices() {
        if units >= position.character {
            return line_start + offset;
        }
        units += match encoding {
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        };
    }
    line_end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_or_characters() {
        // `é` is one UTF-16 unit, `𝒳` two; both are one character.
        let text = "x = 'é𝒳'; requests.get(u)\r\nnext\n";
        let lines = lines(text);
        assert_eq!(lines, ["x = 'é𝒳'; requests.get(u)", "next", ""]);
        // `requests` starts at character 10 (1-based column 11).
        assert_eq!(to_lsp(&lines, 1, 11, Encoding::Utf32), Position::new(0, 10));
        assert_eq!(to_lsp(&lines, 1, 11, Encoding::Utf16), Position::new(0, 11));
        assert_eq!(to_lsp(&lines, 2, 1, Encoding::Utf16), Position::new(1, 0));
        assert_eq!(to_lsp(&lines, 0, 0, Encoding::Utf16), Position::new(0, 0));
        assert_eq!(to_lsp(&lines, 2, 99, Encoding::Utf16), Position::new(1, 4));
        assert_eq!(to_lsp(&lines, 9, 1, Encoding::Utf16), Position::new(2, 0));
    }

    #[test]
    fn byte_offsets_of_positions_are_clamped() {
        let text = "aé𝒳b\nline two\n";
        assert_eq!(byte_offset(text, Position::new(0, 0), Encoding::Utf16), 0);
        assert_eq!(byte_offset(text, Position::new(0, 2), Encoding::Utf16), 3);
        assert_eq!(byte_offset(text, Position::new(0, 4), Encoding::Utf16), 7);
        assert_eq!(byte_offset(text, Position::new(0, 3), Encoding::Utf32), 7);
        // Inside the surrogate pair: after the character.
        assert_eq!(byte_offset(text, Position::new(0, 3), Encoding::Utf16), 7);
        assert_eq!(byte_offset(text, Position::new(0, 50), Encoding::Utf16), 8);
        assert_eq!(byte_offset(text, Position::new(1, 4), Encoding::Utf16), 13);
        assert_eq!(byte_offset(text, Position::new(7, 0), Encoding::Utf16), text.len());
    }
}
