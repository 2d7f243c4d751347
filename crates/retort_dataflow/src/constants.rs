//! Constant conditions: module-level names bound once to a literal, and the
//! tests (`if DEBUG:`, `if MODE == "demo" and not DEBUG:`, `if RETRIES * 2 > 4:`)
//! they decide. A branch whose test is always false is dead code.

use std::collections::HashMap;

use ruff_python_ast::{BoolOp, CmpOp, Expr, Number, Operator, Stmt, UnaryOp};

/// A literal value a module constant can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Str(String),
    None,
}

impl Value {
    fn truthy(&self) -> bool {
        match self {
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Str(s) => !s.is_empty(),
            Value::None => false,
        }
    }
}

/// Names assigned exactly once at a module's top level, to a constant value.
pub fn module_constants(body: &[Stmt]) -> HashMap<String, Value> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut values: HashMap<String, Value> = HashMap::new();
    for stmt in body {
        let (targets, value): (Vec<&Expr>, Option<&Expr>) = match stmt {
            Stmt::Assign(a) => (a.targets.iter().collect(), Some(&*a.value)),
            Stmt::AnnAssign(a) => (vec![&*a.target], a.value.as_deref()),
            Stmt::AugAssign(a) => (vec![&*a.target], None),
            _ => continue,
        };
        for target in targets {
            let Expr::Name(name) = target else { continue };
            *seen.entry(name.id.to_string()).or_default() += 1;
            if let Some(v) = value.and_then(|v| evaluate(v, &values)) {
                values.insert(name.id.to_string(), v);
            }
        }
    }
    values.retain(|name, _| seen.get(name) == Some(&1));
    values
}

/// The value of `expr` when it is made of literals and known constants.
pub fn evaluate(expr: &Expr, constants: &HashMap<String, Value>) -> Option<Value> {
    match expr {
        Expr::BooleanLiteral(b) => Some(Value::Bool(b.value)),
        Expr::NoneLiteral(_) => Some(Value::None),
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_i64().map(Value::Int),
            _ => None,
        },
        Expr::StringLiteral(s) => Some(Value::Str(s.value.to_str().to_string())),
        Expr::Name(name) => constants.get(name.id.as_str()).cloned(),
        Expr::UnaryOp(u) if u.op == UnaryOp::Not => Some(Value::Bool(!evaluate(&u.operand, constants)?.truthy())),
        Expr::BoolOp(b) => {
            let values: Option<Vec<bool>> =
                b.values.iter().map(|v| evaluate(v, constants).map(|v| v.truthy())).collect();
            let values = values?;
            Some(Value::Bool(match b.op {
                BoolOp::And => values.iter().all(|v| *v),
                BoolOp::Or => values.iter().any(|v| *v),
            }))
        }
        Expr::BinOp(b) => {
            let (Value::Int(l), Value::Int(r)) = (evaluate(&b.left, constants)?, evaluate(&b.right, constants)?) else {
                return None;
            };
            match b.op {
                Operator::Add => l.checked_add(r),
                Operator::Sub => l.checked_sub(r),
                Operator::Mult => l.checked_mul(r),
                Operator::FloorDiv if r != 0 => Some(l.div_euclid(r)),
                Operator::Mod if r != 0 => Some(l.rem_euclid(r)),
                _ => None,
            }
            .map(Value::Int)
        }
        Expr::Compare(c) if c.ops.len() == 1 => {
            let left = evaluate(&c.left, constants)?;
            let right = evaluate(&c.comparators[0], constants)?;
            let ordering = match (&left, &right) {
                (Value::Int(l), Value::Int(r)) => Some(l.cmp(r)),
                (Value::Str(l), Value::Str(r)) => Some(l.cmp(r)),
                _ => None,
            };
            Some(Value::Bool(match c.ops[0] {
                CmpOp::Eq | CmpOp::Is => left == right,
                CmpOp::NotEq | CmpOp::IsNot => left != right,
                CmpOp::Lt => ordering? == std::cmp::Ordering::Less,
                CmpOp::LtE => ordering? != std::cmp::Ordering::Greater,
                CmpOp::Gt => ordering? == std::cmp::Ordering::Greater,
                CmpOp::GtE => ordering? != std::cmp::Ordering::Less,
                _ => return None,
            }))
        }
        _ => None,
    }
}

/// Whether a test is always true or always false.
pub fn decide(test: &Expr, constants: &HashMap<String, Value>) -> Option<bool> {
    evaluate(test, constants).map(|v| v.truthy())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide_in(source: &str, test: &str) -> Option<bool> {
        let module = ruff_python_parser::parse_module(source).unwrap().into_syntax();
        let constants = module_constants(&module.body);
        let expr = ruff_python_parser::parse_expression(test).unwrap().into_syntax();
        decide(&expr.body, &constants)
    }

    #[test]
    fn constant_tests_are_decided() {
        let source = "DEBUG = False\nRETRIES = 3\nMODE = 'live'\nCHANGED = 1\nCHANGED = 2\n";
        assert_eq!(decide_in(source, "DEBUG"), Some(false));
        assert_eq!(decide_in(source, "not DEBUG and MODE == 'live'"), Some(true));
        assert_eq!(decide_in(source, "RETRIES * 2 > 4"), Some(true));
        assert_eq!(decide_in(source, "RETRIES - 3"), Some(false));
        assert_eq!(decide_in(source, "CHANGED == 1"), None);
        assert_eq!(decide_in(source, "os.environ.get('X')"), None);
    }
}
