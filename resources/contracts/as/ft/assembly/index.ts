// NEP-141 fungible token (with its NEP-297 events), as near-contract-standards' FungibleToken
// behaves: ft_transfer and ft_transfer_call need exactly 1 yoctoNEAR; ft_transfer_call calls
// the receiver's ft_on_transfer and then its own ft_resolve_transfer, which refunds the unused
// amount the receiver returns (all of it if the receiver failed).
import { context, logging, storage, u128, PersistentMap, ContractPromise, util } from "near-sdk-as";

const balances = new PersistentMap<string, u128>("b:");
const TOTAL_SUPPLY = "total_supply";
const GAS_FOR_RESOLVE_TRANSFER: u64 = 5_000_000_000_000;
const GAS_FOR_FT_TRANSFER_CALL: u64 = 25_000_000_000_000 + GAS_FOR_RESOLVE_TRANSFER;

@nearBindgen
class OnTransferArgs {
  constructor(public sender_id: string, public amount: string, public msg: string) {}
}

@nearBindgen
class ResolveTransferArgs {
  constructor(public sender_id: string, public receiver_id: string, public amount: string) {}
}

function event(name: string, data: string): void {
  logging.log('EVENT_JSON:{"standard":"nep141","version":"1.0.0","event":"' + name + '","data":[' + data + "]}");
}

function transferEvent(from: string, to: string, amount: u128, memo: string | null): void {
  let data = '{"old_owner_id":"' + from + '","new_owner_id":"' + to + '","amount":"' + amount.toString() + '"';
  if (memo != null) {
    data += ',"memo":"' + (memo as string) + '"';
  }
  event("ft_transfer", data + "}");
}

function assertOneYocto(): void {
  assert(context.attachedDeposit == u128.One, "Requires attached deposit of exactly 1 yoctoNEAR");
}

function balanceOf(accountId: string): u128 {
  return balances.contains(accountId) ? balances.getSome(accountId) : u128.Zero;
}

function internalTransfer(sender: string, receiver: string, amount: u128, memo: string | null): void {
  assert(sender != receiver, "Sender and receiver should be different");
  assert(amount > u128.Zero, "The amount should be a positive number");
  const from = balanceOf(sender);
  assert(from >= amount, "The account doesn't have enough balance");
  balances.set(sender, u128.sub(from, amount));
  balances.set(receiver, u128.add(balanceOf(receiver), amount));
  transferEvent(sender, receiver, amount, memo);
}

export function new_default_meta(owner_id: string, total_supply: string): void {
  assert(!storage.hasKey(TOTAL_SUPPLY), "Already initialized");
  const supply = u128.from(total_supply);
  storage.setString(TOTAL_SUPPLY, total_supply);
  balances.set(owner_id, supply);
  event("ft_mint", '{"owner_id":"' + owner_id + '","amount":"' + total_supply + '"}');
}

export function ft_total_supply(): string {
  return storage.hasKey(TOTAL_SUPPLY) ? storage.getString(TOTAL_SUPPLY)! : "0";
}

export function ft_balance_of(account_id: string): string {
  return balanceOf(account_id).toString();
}

export function ft_metadata(): string {
  return '{"spec":"ft-1.0.0","name":"Bench Token","symbol":"BENCH","decimals":24}';
}

export function ft_transfer(receiver_id: string, amount: string, memo: string | null = null): void {
  assertOneYocto();
  internalTransfer(context.predecessor, receiver_id, u128.from(amount), memo);
}

export function ft_transfer_call(
  receiver_id: string,
  amount: string,
  memo: string | null = null,
  msg: string = ""
): void {
  assertOneYocto();
  assert(context.prepaidGas > GAS_FOR_FT_TRANSFER_CALL, "More gas is required");
  const sender = context.predecessor;
  internalTransfer(sender, receiver_id, u128.from(amount), memo);
  ContractPromise.create<OnTransferArgs>(
    receiver_id,
    "ft_on_transfer",
    new OnTransferArgs(sender, amount, msg),
    context.prepaidGas - GAS_FOR_FT_TRANSFER_CALL
  )
    .then<ResolveTransferArgs>(
      context.contractName,
      "ft_resolve_transfer",
      new ResolveTransferArgs(sender, receiver_id, amount),
      GAS_FOR_RESOLVE_TRANSFER
    )
    .returnAsResult();
}

/** The receiver's answer is the unused amount as a JSON string; anything else refunds all. */
function unusedAmount(amount: u128): u128 {
  const results = ContractPromise.getResults();
  assert(results.length == 1, "ft_resolve_transfer waits for exactly one promise");
  if (!results[0].succeeded) {
    return amount;
  }
  const text = util.bytesToString(results[0].buffer)!;
  if (text.length < 2 || text.charAt(0) != '"' || text.charAt(text.length - 1) != '"') {
    return amount;
  }
  const unused = u128.from(text.substring(1, text.length - 1));
  return unused < amount ? unused : amount;
}

export function ft_resolve_transfer(sender_id: string, receiver_id: string, amount: string): string {
  assert(context.predecessor == context.contractName, "Method ft_resolve_transfer is private");
  const total = u128.from(amount);
  const unused = unusedAmount(total);
  if (unused > u128.Zero) {
    const receiverBalance = balanceOf(receiver_id);
    if (receiverBalance > u128.Zero) {
      const refund = unused < receiverBalance ? unused : receiverBalance;
      balances.set(receiver_id, u128.sub(receiverBalance, refund));
      balances.set(sender_id, u128.add(balanceOf(sender_id), refund));
      transferEvent(receiver_id, sender_id, refund, "refund");
      return u128.sub(total, refund).toString();
    }
  }
  return total.toString();
}
