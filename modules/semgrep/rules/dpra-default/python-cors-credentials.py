from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
api = FastAPI()

# ruleid: dpra.python.cors-any-origin-with-credentials
CORS(app, supports_credentials=True)

# ruleid: dpra.python.cors-any-origin-with-credentials
CORS(app, origins="*", supports_credentials=True)

# ruleid: dpra.python.cors-any-origin-with-credentials
api.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True, allow_methods=["*"])

# ok: dpra.python.cors-any-origin-with-credentials
CORS(app, origins=["https://fruit.example.com"], supports_credentials=True)

# ok: dpra.python.cors-any-origin-with-credentials
CORS(app)

# ok: dpra.python.cors-any-origin-with-credentials
api.add_middleware(CORSMiddleware, allow_origins=["https://fruit.example.com"], allow_credentials=True)
