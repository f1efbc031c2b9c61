"""The "Step through" tab: one training iteration, one elementary operation per click."""
