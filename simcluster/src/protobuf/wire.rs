//! The protobuf wire format: varints, tags and length-delimited fields, read without a schema.

/// One field as it appears on the wire.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Wire<'a> {
    /// wire type 0
    Varint(u64),
    /// wire type 1
    Fixed64(u64),
    /// wire type 2: strings, bytes, embedded messages, packed repeated numbers
    Bytes(&'a [u8]),
    /// wire type 5
    Fixed32(u32),
}

impl Wire<'_> {
    pub(crate) fn wire_type(&self) -> u8 {
        match self {
            Wire::Varint(_) => 0,
            Wire::Fixed64(_) => 1,
            Wire::Bytes(_) => 2,
            Wire::Fixed32(_) => 5,
        }
    }
}

pub(crate) const UNEXPECTED_EOF: &str = "proto: unexpected EOF";

/// Reads a varint at `*pos`, advancing it.
pub(crate) fn varint(buf: &[u8], pos: &mut usize) -> Result<u64, String> {
    let mut value: u64 = 0;
    let mut shift = 0u32;
    loop {
        let Some(&b) = buf.get(*pos) else {
            return Err(UNEXPECTED_EOF.to_string());
        };
        *pos += 1;
        if shift >= 64 || (shift == 63 && b > 1) {
            return Err("proto: integer overflow".to_string());
        }
        value |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Ok(value);
        }
        shift += 7;
    }
}

/// Iterates over the `(field number, value)` pairs of one message.
pub(crate) struct Fields<'a> {
    buf: &'a [u8],
    pos: usize,
    failed: bool,
}

pub(crate) fn fields(buf: &[u8]) -> Fields<'_> {
    Fields {
        buf,
        pos: 0,
        failed: false,
    }
}

impl<'a> Fields<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or(UNEXPECTED_EOF)?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn next_field(&mut self) -> Result<(u32, Wire<'a>), String> {
        let key = varint(self.buf, &mut self.pos)?;
        let tag = key >> 3;
        let wire_type = (key & 7) as u8;
        if tag == 0 || tag > u64::from(u32::MAX >> 3) {
            return Err(format!("proto: illegal tag {tag} (wire type {wire_type})"));
        }
        let value = match wire_type {
            0 => Wire::Varint(varint(self.buf, &mut self.pos)?),
            1 => Wire::Fixed64(u64::from_le_bytes(
                self.take(8)?.try_into().map_err(|_| UNEXPECTED_EOF)?,
            )),
            2 => {
                let len = varint(self.buf, &mut self.pos)?;
                let len = usize::try_from(len)
                    .map_err(|_| "proto: negative length found during unmarshaling")?;
                Wire::Bytes(self.take(len)?)
            }
            5 => Wire::Fixed32(u32::from_le_bytes(
                self.take(4)?.try_into().map_err(|_| UNEXPECTED_EOF)?,
            )),
            3 | 4 => {
                return Err(format!(
                    "proto: wiretype {wire_type} (group) for non-group field {tag}"
                ));
            }
            _ => return Err(format!("proto: illegal wireType {wire_type}")),
        };
        Ok((tag as u32, value))
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<(u32, Wire<'a>), String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.buf.len() {
            return None;
        }
        let r = self.next_field();
        self.failed = r.is_err();
        Some(r)
    }
}

/// The elements of a packed repeated varint field.
pub(crate) fn packed_varints(buf: &[u8]) -> Result<Vec<u64>, String> {
    let mut pos = 0;
    let mut out = Vec::new();
    while pos < buf.len() {
        out.push(varint(buf, &mut pos)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        let mut pos = 0;
        assert_eq!(varint(&[0x96, 0x01], &mut pos), Ok(150));
        assert_eq!(pos, 2);
        let neg = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        let mut pos = 0;
        assert_eq!(varint(&neg, &mut pos).map(|v| v as i64), Ok(-1));
        let mut pos = 0;
        assert_eq!(varint(&[0x80], &mut pos), Err(UNEXPECTED_EOF.to_string()));
        let mut pos = 0;
        assert!(varint(&[0xff; 11], &mut pos).is_err());
    }

    #[test]
    fn iterates_fields() {
        // 1: "ab", 2: 5, 3: fixed64 1, 4: fixed32 2
        let buf = [
            0x0a, 2, b'a', b'b', 0x10, 5, 0x19, 1, 0, 0, 0, 0, 0, 0, 0, 0x25, 2, 0, 0, 0,
        ];
        let got: Vec<_> = fields(&buf).collect::<Result<_, _>>().unwrap();
        assert_eq!(
            got,
            vec![
                (1, Wire::Bytes(b"ab")),
                (2, Wire::Varint(5)),
                (3, Wire::Fixed64(1)),
                (4, Wire::Fixed32(2))
            ]
        );
        assert_eq!(got[0].1.wire_type(), 2);
    }

    #[test]
    fn rejects_truncated_and_groups() {
        assert!(fields(&[0x0a, 5, b'a']).any(|r| r.is_err()));
        assert!(fields(&[0x0b]).any(|r| r.is_err()));
        assert!(fields(&[0x00, 0x01]).any(|r| r.is_err()));
        assert_eq!(packed_varints(&[1, 0x96, 0x01]), Ok(vec![1, 150]));
    }
}
