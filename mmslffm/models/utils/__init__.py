from .masking import ActiveSites, random_active_mask

__all__ = ['ActiveSites', 'random_active_mask']
