import type { Address, Hex, LocalAccount } from "viem";

export type SignHotkeyBindingParameters = {
  /** The hotkey's local account: it signs. */
  hotkey: LocalAccount;
  /** The coldkey the hotkey binds to (the caller of `Staking.bindHotkey`). */
  coldkey: Address;
  /** `Staking.nonces(hotkey)`. */
  nonce: bigint;
  /** Unix seconds after which the signature is refused. */
  deadline: bigint;
  chainId: number;
  /** The Staking contract (the EIP-712 verifying contract). */
  staking: Address;
};

export type SignHotkeyBindingReturnType = Hex;

/**
 * Signs `BindHotkey(address hotkey,address coldkey,uint256 nonce,uint256 deadline)` under the
 * `taonet Staking` v1 EIP-712 domain: the hotkey's consent to be bound to `coldkey`.
 */
export async function signHotkeyBinding(params: SignHotkeyBindingParameters): Promise<SignHotkeyBindingReturnType> {
  const { hotkey, coldkey, nonce, deadline, chainId, staking } = params;
  return hotkey.signTypedData({
    domain: { name: "taonet Staking", version: "1", chainId, verifyingContract: staking },
    types: {
      BindHotkey: [
        { name: "hotkey", type: "address" },
        { name: "coldkey", type: "address" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "BindHotkey",
    message: { hotkey: hotkey.address, coldkey, nonce, deadline },
  });
}
