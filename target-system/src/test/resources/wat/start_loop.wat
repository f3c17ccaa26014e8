;; A start function that never returns: instantiation itself must run out of gas.
(module
  (func $spin (loop $l (br $l)))
  (start $spin)
  (func (export "run")))
