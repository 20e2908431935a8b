//! Values computed once per build and shared by every page of a kind (a
//! table's sorted rows, its listing, the cross-vendor index): `Model::memo`.

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

type Slot = Arc<OnceLock<Arc<dyn Any + Send + Sync>>>;

/// Pages render in parallel; the first to ask for a key makes its value,
/// the others asking for the same key wait for it. The map's lock is held
/// only to find a key's slot, never while a value is made, so a maker may
/// ask the memo for another key (a listing asks for the cross-vendor index).
#[derive(Default)]
pub struct Memo(Mutex<BTreeMap<&'static str, Slot>>);

impl Memo {
    /// The value under `key`, made by `make` the first time. A key always
    /// holds values of one type; asked as another type, `make` answers.
    pub fn get<T: Any + Send + Sync>(&self, key: &'static str, make: impl FnOnce() -> T) -> Arc<T> {
        let slot = Arc::clone(
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .entry(key)
                .or_default(),
        );
        let mut make = Some(make);
        let stored = slot.get_or_init(|| match make.take() {
            Some(f) => Arc::new(f()),
            None => Arc::new(()),
        });
        match Arc::clone(stored).downcast::<T>() {
            Ok(v) => v,
            Err(_) => Arc::new(make.map_or_else(|| unreachable_make::<T>(), |f| f())),
        }
    }
}

/// `make` was consumed by `get_or_init` only when the stored value is its
/// own, which then has type `T`: this is never reached.
fn unreachable_make<T>() -> T {
    unreachable!("Memo: a value made for this call has the type asked")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_maker_may_ask_for_another_key_and_each_key_is_made_once() {
        let memo = Memo::default();
        let made = std::sync::atomic::AtomicUsize::new(0);
        let outer = memo.get("outer", || {
            made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            *memo.get("inner", || 20) + 1
        });
        assert_eq!(*outer, 21);
        assert_eq!(*memo.get("outer", || 0), 21);
        assert_eq!(*memo.get("inner", || 0), 20);
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 1);
        // Asked with another type, a key answers the caller's own value.
        assert_eq!(*memo.get("outer", || "other type"), "other type");
    }

    #[test]
    fn pages_in_parallel_share_one_value() {
        let memo = Memo::default();
        let made = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    memo.get("rows", || {
                        made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        vec![1, 2, 3]
                    })
                });
            }
        });
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 1);
    }
}
