/*
 * NEAR host functions, declared exactly as near-sdk-rs's near-sys/src/lib.rs declares them:
 * module "env", every integer argument and result a u64 (pointers too). Only the ones the
 * bundled contracts use are listed; an unused declaration is not imported by the linker.
 */
#ifndef NEAR_ENV_H
#define NEAR_ENV_H

typedef unsigned long long u64;
typedef long long i64;
typedef unsigned int u32;
typedef int i32;
typedef unsigned char u8;
typedef unsigned __int128 u128;

#define NEAR_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

/* Registers */
NEAR_IMPORT(read_register) void read_register(u64 register_id, u64 ptr);
NEAR_IMPORT(register_len) u64 register_len(u64 register_id);

/* Context */
NEAR_IMPORT(current_account_id) void current_account_id(u64 register_id);
NEAR_IMPORT(signer_account_id) void signer_account_id(u64 register_id);
NEAR_IMPORT(predecessor_account_id) void predecessor_account_id(u64 register_id);
NEAR_IMPORT(input) void input(u64 register_id);
NEAR_IMPORT(block_index) u64 block_index(void);
NEAR_IMPORT(block_timestamp) u64 block_timestamp(void);
NEAR_IMPORT(storage_usage) u64 storage_usage(void);

/* Economics: balances are u128 little-endian written at balance_ptr */
NEAR_IMPORT(account_balance) void account_balance(u64 balance_ptr);
NEAR_IMPORT(attached_deposit) void attached_deposit(u64 balance_ptr);

/* Math */
NEAR_IMPORT(sha256) void sha256(u64 value_len, u64 value_ptr, u64 register_id);

/* Miscellaneous */
NEAR_IMPORT(value_return) void value_return(u64 value_len, u64 value_ptr);
NEAR_IMPORT(panic_utf8) __attribute__((noreturn)) void panic_utf8(u64 len, u64 ptr);
NEAR_IMPORT(log_utf8) void log_utf8(u64 len, u64 ptr);

/* Promises */
NEAR_IMPORT(promise_batch_create) u64 promise_batch_create(u64 account_id_len, u64 account_id_ptr);
NEAR_IMPORT(promise_batch_action_transfer) void promise_batch_action_transfer(u64 promise_index, u64 amount_ptr);
NEAR_IMPORT(promise_return) void promise_return(u64 promise_id);
NEAR_IMPORT(promise_batch_then) u64 promise_batch_then(u64 promise_index, u64 account_id_len, u64 account_id_ptr);
NEAR_IMPORT(promise_batch_action_function_call)
void promise_batch_action_function_call(u64 promise_index, u64 function_name_len, u64 function_name_ptr,
                                        u64 arguments_len, u64 arguments_ptr, u64 amount_ptr, u64 gas);
NEAR_IMPORT(promise_batch_action_function_call_weight)
void promise_batch_action_function_call_weight(u64 promise_index, u64 function_name_len, u64 function_name_ptr,
                                               u64 arguments_len, u64 arguments_ptr, u64 amount_ptr, u64 gas,
                                               u64 gas_weight);
NEAR_IMPORT(promise_results_count) u64 promise_results_count(void);
/* 0 not ready, 1 successful (the value goes to register_id), 2 failed */
NEAR_IMPORT(promise_result) u64 promise_result(u64 result_idx, u64 register_id);
/* Yield/resume (NEP-519); near-sys declares promise_yield_resume's result as u32 */
NEAR_IMPORT(promise_yield_create) u64 promise_yield_create(u64 function_name_len, u64 function_name_ptr, u64 arguments_len,
                                                           u64 arguments_ptr, u64 gas, u64 gas_weight, u64 register_id);
NEAR_IMPORT(promise_yield_resume) u32 promise_yield_resume(u64 data_id_len, u64 data_id_ptr, u64 payload_len, u64 payload_ptr);

/* Storage: write/read/remove return 1 if the key existed (its old value goes to register_id) */
NEAR_IMPORT(storage_write) u64 storage_write(u64 key_len, u64 key_ptr, u64 value_len, u64 value_ptr, u64 register_id);
NEAR_IMPORT(storage_read) u64 storage_read(u64 key_len, u64 key_ptr, u64 register_id);
NEAR_IMPORT(storage_remove) u64 storage_remove(u64 key_len, u64 key_ptr, u64 register_id);
NEAR_IMPORT(storage_has_key) u64 storage_has_key(u64 key_len, u64 key_ptr);

#endif
