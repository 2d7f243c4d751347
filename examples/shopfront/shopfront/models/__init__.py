from .catalog import Category, InventoryItem, Product, Review
from .orders import Cart, CartItem, Coupon, Order, OrderItem, Payment, Shipment
from .user import Address, ApiToken, User

__all__ = [
    "Address",
    "ApiToken",
    "Cart",
    "CartItem",
    "Category",
    "Coupon",
    "InventoryItem",
    "Order",
    "OrderItem",
    "Payment",
    "Product",
    "Review",
    "Shipment",
    "User",
]
