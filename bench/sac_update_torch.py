#!/usr/bin/env python3
"""Same-machine anchor for SAC's update cost: Stable-Baselines3's SAC gradient step in plain torch.

Times the arithmetic of one SB3 SAC update at rl-zoo's Pendulum-v1 settings (obs 3, action 1, [256, 256]
ReLU networks, batch 256, Adam lr 1e-3, automatic entropy tuning, tau 0.005) on random data, in the order
SB3's SAC.train runs it: actor sample, entropy-coefficient step, critic target (no grad), critic step,
actor step (whose backward also fills the critics' weight gradients, as in SB3), Polyak averaging.
No SB3, no environment: it shows how this machine compares with the reference's 10.05 ms per update
(../shared/reference/sb3/sac_pendulum_seed0.json, torch 1.13, one thread), run beside
`npx tsx bench/train.ts --sac-update 300` in the same minutes.

Usage: /usr/bin/python3 bench/sac_update_torch.py [updates=300] [threads=1]   (Debian: apt-get install python3-torch)
"""
import math
import sys
import time

import torch
from torch import nn

OBS, ACT, HIDDEN, BATCH = 3, 1, 256, 256
GAMMA, TAU, LR = 0.99, 0.005, 1e-3
LOG_STD_MIN, LOG_STD_MAX = -20.0, 2.0


def mlp(inputs: int, outputs: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(inputs, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, outputs))


class Actor(nn.Module):
    """Shared ReLU trunk, then separate mean and log-std heads (SB3's SAC actor layout)."""

    def __init__(self) -> None:
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(OBS, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU())
        self.mean = nn.Linear(HIDDEN, ACT)
        self.log_std = nn.Linear(HIDDEN, ACT)

    def sample(self, obs: torch.Tensor):
        h = self.trunk(obs)
        mean = self.mean(h)
        log_std = torch.clamp(self.log_std(h), LOG_STD_MIN, LOG_STD_MAX)
        std = log_std.exp()
        u = mean + std * torch.randn_like(mean)
        action = torch.tanh(u)
        gaussian = (-((u - mean) ** 2) / (2 * std * std) - log_std - 0.5 * math.log(2 * math.pi)).sum(dim=1)
        return action, gaussian - torch.log(1 - action * action + 1e-6).sum(dim=1)


def main() -> None:
    updates = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    actor = Actor()
    critics = nn.ModuleList([mlp(OBS + ACT, 1), mlp(OBS + ACT, 1)])
    targets = nn.ModuleList([mlp(OBS + ACT, 1), mlp(OBS + ACT, 1)])
    targets.load_state_dict(critics.state_dict())
    targets.requires_grad_(False)
    log_alpha = torch.zeros(1, requires_grad=True)
    actor_opt = torch.optim.Adam(actor.parameters(), lr=LR)
    critic_opt = torch.optim.Adam(critics.parameters(), lr=LR)
    alpha_opt = torch.optim.Adam([log_alpha], lr=LR)
    target_entropy = -float(ACT)

    obs = torch.randn(BATCH, OBS)
    actions = torch.rand(BATCH, ACT) * 2 - 1
    rewards = -torch.rand(BATCH, 1) * 10
    next_obs = torch.randn(BATCH, OBS)
    dones = torch.zeros(BATCH, 1)

    def update() -> None:
        actions_pi, log_prob = actor.sample(obs)
        log_prob = log_prob.reshape(-1, 1)
        alpha = torch.exp(log_alpha.detach())
        alpha_loss = -(log_alpha * (log_prob + target_entropy).detach()).mean()
        alpha_opt.zero_grad()
        alpha_loss.backward()
        alpha_opt.step()
        with torch.no_grad():
            next_actions, next_log_prob = actor.sample(next_obs)
            next_in = torch.cat([next_obs, next_actions], dim=1)
            next_q = torch.min(torch.cat([t(next_in) for t in targets], dim=1), dim=1, keepdim=True)[0]
            target_q = rewards + (1 - dones) * GAMMA * (next_q - alpha * next_log_prob.reshape(-1, 1))
        state_action = torch.cat([obs, actions], dim=1)
        critic_loss = 0.5 * sum(nn.functional.mse_loss(q(state_action), target_q) for q in critics)
        critic_opt.zero_grad()
        critic_loss.backward()
        critic_opt.step()
        pi_in = torch.cat([obs, actions_pi], dim=1)
        min_q = torch.min(torch.cat([q(pi_in) for q in critics], dim=1), dim=1, keepdim=True)[0]
        actor_loss = (alpha * log_prob - min_q).mean()
        actor_opt.zero_grad()
        actor_loss.backward()
        actor_opt.step()
        with torch.no_grad():
            for p, t in zip(critics.parameters(), targets.parameters()):
                t.mul_(1 - TAU)
                t.add_(p, alpha=TAU)

    for _ in range(20):
        update()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(updates):
        update()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(
        f"torch {torch.__version__} SAC update (SB3's order, [256, 256], batch 256), {torch.get_num_threads()} thread(s): "
        f"{1000 * wall / updates:.2f} ms wall, {1000 * cpu / updates:.2f} ms CPU per update over {updates} updates "
        f"| reference (SB3 run, torch 1.13, 1 thread): 10.05 ms"
    )


if __name__ == "__main__":
    main()
