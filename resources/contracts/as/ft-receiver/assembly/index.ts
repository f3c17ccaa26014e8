// A NEP-141 token receiver: ft_on_transfer keeps or returns tokens as `msg` says:
// "take-my-money" keeps all, "return:<n>" returns n, "panic" fails, anything else returns all.
import { logging } from "near-sdk-as";

export function ft_on_transfer(sender_id: string, amount: string, msg: string): string {
  logging.log("in " + amount + " tokens from @" + sender_id + " ft_on_transfer, msg = " + msg);
  if (msg == "take-my-money") {
    return "0";
  }
  if (msg == "panic") {
    assert(false, "the receiver refuses the tokens");
  }
  if (msg.startsWith("return:")) {
    return msg.substring(7);
  }
  return amount;
}
