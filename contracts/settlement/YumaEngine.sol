// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {YumaEpoch} from "../libraries/YumaEpoch.sol";

/// @title YumaEngine
/// @notice The Yuma epoch (`YumaEpoch.run`) as a stateless contract, so that the settlement, which
/// holds the storage and pays, stays under the 24,576-byte code limit. Pure: it reads nothing and
/// holds no role.
contract YumaEngine {
    /// @notice One Yuma consensus epoch; see `YumaEpoch.run`.
    function run(
        YumaEpoch.Params calldata p,
        YumaEpoch.Input calldata input
    ) external pure returns (YumaEpoch.Output memory) {
        return YumaEpoch.run(p, input);
    }
}
