//! `API.asmx?wsdl`: a WSDL 1.1 document/literal description of [`OPERATIONS`], laid out as
//! ASP.NET generates it, so that generated clients (PHP `SoapClient`, .NET proxies) work.

use std::fmt::Write;

use quick_xml::escape::escape;

use crate::soap::{Kind, Output, NS, OPERATIONS};

/// The WSDL whose service address is `location` (the URL it was fetched from, minus `?wsdl`).
pub(crate) fn wsdl(location: &str) -> String {
    let mut types = String::new();
    let mut messages = String::new();
    let mut port_ops = String::new();
    let mut binding11 = String::new();
    let mut binding12 = String::new();
    for op in OPERATIONS {
        let name = op.name;
        let mut request = String::new();
        for input in op.inputs {
            let (min, ty) = match input.kind {
                // Value types are required in ASP.NET's schemas; reference types are not.
                Kind::Boolean => (1, "s:boolean"),
                Kind::String => (0, "s:string"),
            };
            let _ = write!(
                request,
                "\n            <s:element minOccurs=\"{min}\" maxOccurs=\"1\" name=\"{}\" type=\"{ty}\" />",
                input.name
            );
        }
        let request = match request.is_empty() {
            true => "<s:complexType />".to_owned(),
            false => format!(
                "<s:complexType>\n          <s:sequence>{request}\n          </s:sequence>\n        </s:complexType>"
            ),
        };
        let output = match op.output {
            Output::None => String::new(),
            Output::AuthCode => element(0, "sAuthCode", "s:string"),
            Output::PinInt => element(1, "iPINCode", "s:int"),
            Output::PinString => element(0, "sPINCode", "s:string"),
            Output::LensInvitation => {
                element(0, "sPINCode", "s:string") + &element(0, "sSMSResult", "s:string")
            }
        };
        let result = element(1, &format!("{name}Result"), &format!("tns:{name}Ret"));
        let mut words = String::new();
        for word in op.words {
            let _ = write!(
                words,
                "\n          <s:enumeration value=\"{}_{}\" />",
                op.enum_prefix,
                word.soap()
            );
        }
        let _ = write!(
            types,
            r#"
      <s:element name="{name}">
        {request}
      </s:element>
      <s:element name="{name}Response">
        <s:complexType>
          <s:sequence>{result}{output}
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:simpleType name="{name}Ret">
        <s:restriction base="s:string">{words}
        </s:restriction>
      </s:simpleType>"#
        );
        let _ = write!(
            messages,
            r#"
  <wsdl:message name="{name}SoapIn">
    <wsdl:part name="parameters" element="tns:{name}" />
  </wsdl:message>
  <wsdl:message name="{name}SoapOut">
    <wsdl:part name="parameters" element="tns:{name}Response" />
  </wsdl:message>"#
        );
        let _ = write!(
            port_ops,
            r#"
    <wsdl:operation name="{name}">
      <wsdl:input message="tns:{name}SoapIn" />
      <wsdl:output message="tns:{name}SoapOut" />
    </wsdl:operation>"#
        );
        for (binding, soap) in [(&mut binding11, "soap"), (&mut binding12, "soap12")] {
            let _ = write!(
                binding,
                r#"
    <wsdl:operation name="{name}">
      <{soap}:operation soapAction="{action}" style="document" />
      <wsdl:input>
        <{soap}:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <{soap}:body use="literal" />
      </wsdl:output>
    </wsdl:operation>"#,
                action = op.soap_action()
            );
        }
    }
    let location = escape(location);
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tm="http://microsoft.com/wsdl/mime/textMatching/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:mime="http://schemas.xmlsoap.org/wsdl/mime/" xmlns:tns="{NS}" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:http="http://schemas.xmlsoap.org/wsdl/http/" targetNamespace="{NS}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="{NS}">{types}
    </s:schema>
  </wsdl:types>{messages}
  <wsdl:portType name="APISoap">{port_ops}
  </wsdl:portType>
  <wsdl:binding name="APISoap" type="tns:APISoap">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" />{binding11}
  </wsdl:binding>
  <wsdl:binding name="APISoap12" type="tns:APISoap">
    <soap12:binding transport="http://schemas.xmlsoap.org/soap/http" />{binding12}
  </wsdl:binding>
  <wsdl:service name="API">
    <wsdl:port name="APISoap" binding="tns:APISoap">
      <soap:address location="{location}" />
    </wsdl:port>
    <wsdl:port name="APISoap12" binding="tns:APISoap12">
      <soap12:address location="{location}" />
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>"#
    )
}

fn element(min: u8, name: &str, ty: &str) -> String {
    format!("\n            <s:element minOccurs=\"{min}\" maxOccurs=\"1\" name=\"{name}\" type=\"{ty}\" />")
}

/// What `GET API.asmx` shows without `?wsdl`: the operation list, as ASMX's help page does.
pub(crate) fn help_page() -> String {
    let mut items = String::new();
    for op in OPERATIONS {
        let _ = write!(items, "<li>{}</li>", op.name);
    }
    format!(
        "<!DOCTYPE html>\r\n<html><head><title>API Web Service</title></head><body>\
<h1>API</h1><p>The following operations are supported. For a formal definition, please \
review the <a href=\"API.asmx?WSDL\">Service Description</a>.</p><ul>{items}</ul></body></html>"
    )
}
