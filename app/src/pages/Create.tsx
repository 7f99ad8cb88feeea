import { useState } from "react";
import { isAddress, type Address, type Hex } from "viem";
import { tao } from "../format.ts";
import { useChainQuery, type SubnetInfo } from "../taonet.tsx";
import { TxStatus, useTransaction, type TxContext } from "../transaction.tsx";

/** Approves `spender` for `amount` TAO unless the allowance already covers it. */
async function ensureAllowance({ account, client, deployment, send }: TxContext, spender: Address, amount: bigint) {
  const allowance = (await client.readContract({
    ...deployment.contracts.TAO,
    functionName: "allowance",
    args: [account, spender],
  })) as bigint;
  if (allowance < amount) await send("Approve TAO", "TAO", "approve", [spender, amount]);
}

/** Create a subnet (the lock cost shown, then confirmed) and register a hotkey's neuron. */
export function Create() {
  return (
    <section>
      <h1>Create</h1>
      <CreateSubnet />
      <RegisterNeuron />
    </section>
  );
}

function CreateSubnet() {
  const { data } = useChainQuery(["lockCost"], ({ read }) => read<bigint>("SubnetRegistry", "lockCost"));
  const [name, setName] = useState("");
  const [repository, setRepository] = useState("");
  const [description, setDescription] = useState("");
  const [confirming, setConfirming] = useState<bigint | undefined>();
  const tx = useTransaction();

  async function create(maxLockCost: bigint) {
    setConfirming(undefined);
    await tx.run(`Create subnet "${name}"`, async (context) => {
      await ensureAllowance(context, context.deployment.contracts.SubnetRegistry.address, maxLockCost);
      await context.send("Create subnet", "SubnetRegistry", "createSubnet", [
        maxLockCost,
        { name, repository, description },
      ]);
    });
  }

  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        if (data !== undefined) setConfirming(data);
      }}
    >
      <h2>Create a subnet</h2>
      <p>
        Lock cost now: <strong data-testid="lock-cost">{data === undefined ? "…" : `${tao(data)} TAO`}</strong>{" "}
        <span className="muted">(locked while the subnet lives; it doubles on each creation, then decays)</span>
      </p>
      <label>
        Name <input name="name" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>{" "}
      <label>
        Repository <input name="repository" value={repository} onChange={(e) => setRepository(e.target.value)} />
      </label>{" "}
      <label>
        Description <input name="description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>{" "}
      {confirming === undefined ? (
        <button type="submit" disabled={tx.busy || data === undefined}>
          Create subnet…
        </button>
      ) : (
        <span className="confirm">
          Lock {tao(confirming)} TAO to create “{name}”?{" "}
          <button type="button" onClick={() => void create(confirming)}>
            Confirm and lock {tao(confirming)} TAO
          </button>{" "}
          <button type="button" className="secondary" onClick={() => setConfirming(undefined)}>
            Cancel
          </button>
        </span>
      )}
      <TxStatus state={tx.state} />
    </form>
  );
}

function RegisterNeuron() {
  const { data } = useChainQuery(["registration"], async ({ read }) => {
    const infos = await read<SubnetInfo[]>("MetagraphLens", "subnetInfos");
    return infos.map((i) => ({ netuid: i.netuid, name: i.metadata.name, price: i.burnPrice }));
  });
  const [netuid, setNetuid] = useState("");
  const [hotkey, setHotkey] = useState("");
  const [deadline, setDeadline] = useState("");
  const [signature, setSignature] = useState("");
  const tx = useTransaction();
  const chosen = data?.find((s) => s.netuid.toString() === netuid) ?? data?.[0];

  async function register() {
    if (!chosen || !isAddress(hotkey)) return;
    await tx.run(`Register ${hotkey} in subnet ${chosen.netuid}`, async (context) => {
      const coldkey = (await context.client.readContract({
        ...context.deployment.contracts.Staking,
        functionName: "coldkeyOf",
        args: [hotkey],
      })) as Address;
      if (/^0x0{40}$/.test(coldkey)) {
        // An unbound hotkey needs its own EIP-712 binding signature (e.g. from the CLI) first.
        await context.send("Bind hotkey", "Staking", "bindHotkey", [hotkey, BigInt(deadline || 0), signature as Hex]);
      }
      const price = (await context.client.readContract({
        ...context.deployment.contracts.NeuronRegistry,
        functionName: "burnPrice",
        args: [chosen.netuid],
      })) as bigint;
      await ensureAllowance(context, context.deployment.contracts.NeuronRegistry.address, price);
      await context.send("Register neuron", "NeuronRegistry", "registerNeuron", [chosen.netuid, hotkey, price]);
    });
  }

  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        void register();
      }}
    >
      <h2>Register a hotkey's neuron</h2>
      <label>
        Subnet{" "}
        <select name="netuid" value={netuid} onChange={(e) => setNetuid(e.target.value)}>
          {data?.map((s) => (
            <option key={s.netuid.toString()} value={s.netuid.toString()}>
              {s.netuid.toString()} {s.name} (burn {tao(s.price)} TAO)
            </option>
          ))}
        </select>
      </label>{" "}
      <label>
        Hotkey <input name="hotkey" value={hotkey} onChange={(e) => setHotkey(e.target.value)} size={44} />
      </label>
      <p className="muted">
        A hotkey bound to your coldkey registers at once. To bind a new one, paste its binding signature (the hotkey
        signs <code>BindHotkey(hotkey, coldkey, nonce, deadline)</code>, e.g. with the CLI):
      </p>
      <label>
        Deadline <input name="deadline" value={deadline} onChange={(e) => setDeadline(e.target.value)} size={12} />
      </label>{" "}
      <label>
        Signature <input name="signature" value={signature} onChange={(e) => setSignature(e.target.value)} size={50} />
      </label>{" "}
      <button type="submit" disabled={tx.busy || !chosen}>
        Register (burns {chosen ? tao(chosen.price) : "…"} TAO)
      </button>
      <TxStatus state={tx.state} />
    </form>
  );
}
