import { createRequire } from "node:module";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  plugins: [hardhatToolboxViem],
  solidity: {
    profiles: {
      default: {
        // No compiler download is possible on our machines: use the exact wasm solc pinned in
        // package.json. Every contract must fit OP Mainnet's 24,576-byte limit as it is.
        version: "0.8.30",
        path: require.resolve("solc/soljson.js"),
        settings: {
          optimizer: { enabled: true, runs: 200 },
          // OP Mainnet runs Isthmus (Prague); Cancun is the highest level every target rollup of
          // ours has had for a year, and OpenZeppelin 5 needs at least it (mcopy).
          evmVersion: "cancun",
        },
      },
    },
    // OpenZeppelin contracts deployed as they are, so that Ignition finds their artifacts.
    npmFilesToBuild: [
      "@openzeppelin/contracts/access/manager/AccessManager.sol",
      "@openzeppelin/contracts/governance/TimelockController.sol",
    ],
  },
  paths: {
    ignition: "deploy",
    // Solidity tests (and their doubles) anywhere under test/; TypeScript integration tests in
    // test/integration, with their shared helpers in test/helpers.
    tests: { solidity: "test", nodejs: "test/integration" },
  },
  test: {
    solidity: {
      fuzz: { runs: 256 },
      invariant: { runs: 64, depth: 32, failOnRevert: false },
    },
  },
  networks: {
    // The in-process chain every test and the devnet's node run: an OP Stack simulation.
    default: {
      type: "edr-simulated",
      chainType: "op",
    },
    localhost: {
      type: "http",
      chainType: "op",
      url: "http://127.0.0.1:8545",
    },
    opSepolia: {
      type: "http",
      chainType: "op",
      chainId: 11155420,
      url: configVariable("OP_SEPOLIA_RPC_URL"),
      accounts: [configVariable("OP_SEPOLIA_PRIVATE_KEY")],
    },
    baseSepolia: {
      type: "http",
      chainType: "op",
      chainId: 84532,
      url: configVariable("BASE_SEPOLIA_RPC_URL"),
      accounts: [configVariable("BASE_SEPOLIA_PRIVATE_KEY")],
    },
  },
});
