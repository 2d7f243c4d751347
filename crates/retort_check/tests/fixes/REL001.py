import httpx
import requests
from urllib.request import urlopen


def rates(url, params):
    return requests.get(url, params=params).json()


def ping(url):
    return requests.head(url)


def push(url, payload):
    requests.post(
        url,
        json=payload,
    )
    return httpx.get(url)  # httpx has a default timeout: not reported, not fixed


def page(url):
    return urlopen(url).read()


def empty():
    return requests.get("https://example.com" )
