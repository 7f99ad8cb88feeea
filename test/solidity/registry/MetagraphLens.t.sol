// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MetagraphLens} from "../../../contracts/registry/MetagraphLens.sol";
import {RegistryTest} from "./RegistryTest.sol";

contract MetagraphLensTest is RegistryTest {
    bytes32 internal constant DIGEST = keccak256("model");

    uint256 internal netuid;
    address[] internal hotkeys;

    function setUp() public override {
        super.setUp();
        netuid = _createSubnet(subnetOwner);
        hotkeys = _registerMany(netuid, alice, 3);
        _stake(bob, hotkeys[1], 7e18);
        vm.prank(hotkeys[1]);
        neurons.serveEndpoint(netuid, _ipv4Endpoint());
        vm.prank(hotkeys[2]);
        neurons.commit(netuid, DIGEST, "hf://model");
        uint256[] memory bitmap = new uint256[](1);
        bitmap[0] = 0x2;
        vm.prank(settlement);
        neurons.setValidatorPermits(netuid, bitmap);
        _recordNeuronEmissions(netuid, 0, _uint64s(1, 2, 3));
    }

    function test_metagraph_returnsEveryUid() public view {
        (MetagraphLens.NeuronInfo[] memory page, uint256 total) = lens.metagraph(netuid, 0, 256);
        assertEq(total, 3);
        assertEq(page.length, 3);
        for (uint256 uid = 0; uid < 3; ++uid) {
            assertEq(page[uid].uid, uid);
            assertEq(page[uid].hotkey, hotkeys[uid]);
            assertEq(page[uid].coldkey, alice);
            assertEq(page[uid].registeredAtBlock, block.number);
            assertTrue(page[uid].immune);
            assertEq(page[uid].lastEpochEmissionNano, uid + 1);
        }
        assertEq(page[1].stake, 7e18);
        assertEq(page[0].stake, 0);
        assertTrue(page[1].validatorPermit);
        assertFalse(page[0].validatorPermit);
        assertEq(page[1].endpoint.port, 8091);
        assertEq(page[2].commitment.digest, DIGEST);
        assertEq(page[2].commitment.uri, "hf://model");
    }

    function test_metagraph_pages() public view {
        (MetagraphLens.NeuronInfo[] memory page, uint256 total) = lens.metagraph(netuid, 1, 1);
        assertEq(total, 3);
        assertEq(page.length, 1);
        assertEq(page[0].hotkey, hotkeys[1]);
        (page, ) = lens.metagraph(netuid, 2, 10);
        assertEq(page.length, 1, "fewer at the end");
        assertEq(page[0].uid, 2);
        (page, total) = lens.metagraph(netuid, 5, 10);
        assertEq(page.length, 0);
        assertEq(total, 3);
        (page, ) = lens.metagraph(netuid, 0, 0);
        assertEq(page.length, 0);
    }

    /// @dev "Everything from `offset` on", asked as the largest limit, must not overflow.
    function test_metagraph_acceptsTheLargestLimit() public view {
        (MetagraphLens.NeuronInfo[] memory page, ) = lens.metagraph(netuid, 1, type(uint256).max);
        assertEq(page.length, 2);
        assertEq(page[0].uid, 1);
        (page, ) = lens.metagraph(netuid, type(uint256).max, type(uint256).max);
        assertEq(page.length, 0);
    }

    function test_subnetInfo_showsHeader() public {
        MetagraphLens.SubnetInfo memory info = lens.subnetInfo(netuid);
        assertEq(info.netuid, netuid);
        assertEq(info.subnet.owner, subnetOwner);
        assertEq(info.subnet.lockedAmount, MIN_LOCK_COST);
        assertEq(info.metadata.name, "subnet");
        assertEq(info.hyperparameters.tempo, DEFAULT_TEMPO);
        assertEq(info.neuronCount, 3);
        assertEq(info.burnPrice, neurons.burnPrice(netuid));

        vm.prank(subnetOwner);
        subnets.dissolveSubnet(netuid);
        info = lens.subnetInfo(netuid);
        assertFalse(info.subnet.active);
        assertEq(info.burnPrice, 0, "a dead subnet has no price");
        assertEq(info.neuronCount, 3);
    }

    function test_subnetInfos_listsActiveSubnets() public {
        uint256 other = _createSubnet(otherOwner);
        MetagraphLens.SubnetInfo[] memory infos = lens.subnetInfos();
        assertEq(infos.length, 2);
        assertEq(infos[0].netuid, netuid);
        assertEq(infos[1].netuid, other);
        assertEq(infos[1].neuronCount, 0);
        assertEq(infos[1].burnPrice, INITIAL_BURN);
    }
}
